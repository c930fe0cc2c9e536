import { connectAccount, type AccountDeps } from '../connectors/accounts/open-account';
import { isConnectorError } from '../connectors/kit/errors';
import { cut } from '../connectors/kit/redact';
import type { ConnectorDefinition } from '../connectors/kit/types';
import type { AccountRow } from '../db/schema';
import type { z } from 'zod';

/** A config field the user got wrong, and why: the API answers 422 naming it. */
export interface FieldError {
  field: string;
  message: string;
}

/** A provider that could not be reached to check a config: not the user's mistake (the API answers 502). */
export class ProviderUnreachableError extends Error {}

/** A connector context for one account, inside the API process (credentials never leave it). */
export function openForCheck<Auth extends z.ZodObject>(deps: AccountDeps, connector: ConnectorDefinition<Auth>, row: AccountRow) {
  const ctx = connectAccount(deps, connector, row, { timeoutMs: 15_000 });
  // Validated against this connector's schema in connect(); re-parsing narrows the type.
  return { ...ctx, credentials: connector.auth.schema.parse(ctx.credentials) };
}

/** Provider answers during a config check: bad credentials are the user's (422), an outage is a 502. */
export async function askProvider<T>(field: string, name: string, call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: { field: string; message: string } }> {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    if (!isConnectorError(e)) throw e;
    if (e.kind === 'auth' || e.kind === 'validation' || e.kind === 'not-found') return { ok: false, error: { field, message: cut(e.message) } };
    throw new ProviderUnreachableError(`could not reach ${name} to check ${field}: ${cut(e.message)}`);
  }
}
