import { z } from 'zod';
import { validationError } from '../kit/errors';
import type { ActionDefinition, ConnectorContext, Functionality, PollResult, TriggerDefinition } from '../kit/types';
import type { SumitCredentials } from './auth';

/**
 * Input arrives from workflows as plain JSON: it is validated here, and a bad input becomes a
 * non-retryable validation error instead of a ZodError that Temporal would retry.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError('sumit', `invalid input for ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function sumitAction<S extends z.ZodType, O>(def: {
  name: string;
  description: string;
  input: S;
  run(ctx: ConnectorContext<SumitCredentials>, input: z.output<S>): Promise<O>;
}): ActionDefinition<SumitCredentials, S, O> {
  return { name: def.name, description: def.description, input: def.input, run: async (ctx, input: unknown) => def.run(ctx, parseInput(def.input, input, def.name)) };
}

export function sumitTrigger<S extends z.ZodType, T, C extends z.ZodType>(def: {
  functionality?: Functionality;
  name: string;
  description: string;
  input: S;
  cursor: C;
  poll(ctx: ConnectorContext<SumitCredentials>, input: z.output<S>, cursor: z.output<C> | undefined): Promise<PollResult<T, z.output<C>>>;
}): TriggerDefinition<SumitCredentials, S, T, z.output<C>> {
  return {
    functionality: def.functionality,
    name: def.name,
    description: def.description,
    input: def.input,
    poll: async (ctx, input: unknown, cursor: unknown) =>
      def.poll(ctx, parseInput(def.input, input, def.name), cursor === undefined ? undefined : parseInput(def.cursor, cursor, `${def.name} cursor`)),
  };
}
