import type { z } from 'zod';
import { validationError } from './errors';
import type { ActionDefinition, ConnectorContext, Functionality, LookupDefinition, LookupItem, PollResult, Repeats, SystemId, TriggerDefinition } from './types';

/** One line, path first, so the message names each field: "items.0.quantity: Invalid input: expected number, received string". */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)'}: ${issue.message}`).join('; ');
}

/**
 * Input reaches a connector as plain JSON (from a workflow, a scenario step, an API route): a bad
 * one becomes a non-retryable validation error naming each field and what is wrong with it,
 * instead of a ZodError that Temporal would retry.
 */
export function parseInput<S extends z.ZodType>(system: SystemId, schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(system, `invalid ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export interface ActionSpec<Credentials, S extends z.ZodType, Output> {
  name: string;
  description: string;
  functionality?: Functionality;
  repeats?: Repeats;
  input: S;
  /** Gets the input as its schema parsed it: defaults filled in, unknown keys dropped. */
  run(ctx: ConnectorContext<Credentials>, input: z.output<S>): Promise<Output>;
}

/** An action whose input is checked against its declared schema before it runs. */
export function defineAction<Credentials, S extends z.ZodType, Output>(system: SystemId, spec: ActionSpec<Credentials, S, Output>): ActionDefinition<Credentials, S, Output> {
  return { ...spec, run: async (ctx, input) => spec.run(ctx, parseInput(system, spec.input, input, `input for ${spec.name}`)) };
}

export interface TriggerSpec<Credentials, S extends z.ZodType, C extends z.ZodType, Result extends PollResult<unknown, z.output<C>>> {
  name: string;
  description: string;
  functionality?: Functionality;
  input: S;
  /** The cursor's schema: a cursor comes back from a workflow's state as plain JSON too. */
  cursor: C;
  poll(ctx: ConnectorContext<Credentials>, input: z.output<S>, cursor: z.output<C> | undefined): Promise<Result>;
  /** Whether the first poll of this input only fixes where "new" starts (see TriggerDefinition.startsNow). */
  startsNow?: (input: z.output<S>) => boolean;
}

/** A trigger whose input and cursor are checked against their declared schemas before it polls. */
export function defineTrigger<Credentials, S extends z.ZodType, C extends z.ZodType, Result extends PollResult<unknown, z.output<C>>>(
  system: SystemId,
  spec: TriggerSpec<Credentials, S, C, Result>,
): TriggerDefinition<Credentials, S, unknown, z.output<C>, Result> {
  const { cursor: cursorSchema, startsNow, ...declared } = spec;
  return {
    ...declared,
    // An input its schema refuses starts nowhere: the poll itself names what is wrong with it.
    ...(startsNow && { startsNow: (input: unknown) => { const parsed = spec.input.safeParse(input); return parsed.success && startsNow(parsed.data); } }),
    poll: async (ctx, input, cursor) =>
      spec.poll(ctx, parseInput(system, spec.input, input, `input for ${spec.name}`), cursor === undefined ? undefined : parseInput(system, cursorSchema, cursor, `cursor for ${spec.name}`)),
  };
}

export interface LookupSpec<Credentials, S extends z.ZodType> {
  name: string;
  description: string;
  input: S;
  run(ctx: ConnectorContext<Credentials>, input: z.output<S>): Promise<LookupItem[]>;
}

/** A lookup whose parameters are checked against its declared schema before it asks the provider. */
export function defineLookup<Credentials, S extends z.ZodType>(system: SystemId, spec: LookupSpec<Credentials, S>): LookupDefinition<Credentials, S> {
  return { ...spec, run: async (ctx, input) => spec.run(ctx, parseInput(system, spec.input, input, `parameters of ${spec.name}`)) };
}
