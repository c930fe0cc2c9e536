import { z } from 'zod';
import { validationError } from '../kit/errors';
import type { ActionDefinition, ConnectorContext } from '../kit/types';
import type { SareCredentials } from './auth';

/** Validates JSON input from a workflow; a bad input is a non-retryable validation error. */
export function sareAction<S extends z.ZodType, O>(def: {
  name: string;
  description: string;
  input: S;
  run(ctx: ConnectorContext<SareCredentials>, input: z.output<S>): Promise<O>;
}): ActionDefinition<SareCredentials, S, O> {
  return {
    name: def.name,
    description: def.description,
    input: def.input,
    run: async (ctx, raw: unknown) => {
      const parsed = def.input.safeParse(raw);
      if (!parsed.success) throw validationError('sare', `invalid input for ${def.name}: ${z.prettifyError(parsed.error)}`);
      return def.run(ctx, parsed.data);
    },
  };
}
