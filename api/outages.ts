import { isGrpcServiceError } from '@temporalio/client';
import { DatabaseError } from 'pg';
import { databaseErrorFacts, describeDatabaseError, isConnectionFailureMessage, isUnreachableCode } from '../db/errors';

export type Dependency = 'PostgreSQL' | 'Temporal';

/** How long a client is told to wait before asking again while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** A dependency did not answer: a 503 naming it, not a 500. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    reason: string,
  ) {
    super(`${dependency} is unreachable: ${reason}`);
  }
}

// Structural, not instanceof Error: errors of Node's own modules (net) may come from another realm (jest's sandbox).
const errorLike = (e: unknown): e is { message: string; code?: unknown; port?: unknown } => typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';

const causes = (err: unknown): unknown[] => {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 10; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== 'object') break;
  }
  return chain;
};
// gRPC status codes (@grpc/grpc-js status): what a Temporal call fails with when the server is down or silent.
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

// A statement_timeout (57014) is not an outage, but to the client it is the same: try again shortly.
const STATEMENT_TIMEOUT = '57014';
// A refused or unreachable connect names the port it dialled: only the database's own counts.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Host and port of a postgres:// URL, as the driver would dial them. */
function endpointOf(databaseUrl: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(databaseUrl);
    return { host: u.hostname || 'localhost', port: Number(u.port || 5432) };
  } catch {
    return undefined;
  }
}

/**
 * Which dependency an error says is down, if any. A network error counts for PostgreSQL only when
 * it was dialling the database's own port: a provider's refused connection is another matter.
 */
export function unavailableDependency(err: unknown, databaseUrl?: string): DependencyUnavailableError | undefined {
  const facts = databaseErrorFacts(err);
  if (facts?.unreachable) return new DependencyUnavailableError('PostgreSQL', facts.code ? describeDatabaseError(facts) : 'the connection failed or timed out');
  const db = databaseUrl ? endpointOf(databaseUrl) : undefined;
  for (const e of causes(err)) {
    if (e instanceof DependencyUnavailableError) return e;
    const grpcCode = isGrpcServiceError(e) ? Number(e.code) : undefined;
    if (grpcCode === GRPC_UNAVAILABLE || grpcCode === GRPC_DEADLINE_EXCEEDED) {
      return new DependencyUnavailableError('Temporal', grpcCode === GRPC_UNAVAILABLE ? 'the server is unavailable' : 'it did not answer in time');
    }
    if (e instanceof DatabaseError && e.code && (isUnreachableCode(e.code) || e.code === STATEMENT_TIMEOUT)) return new DependencyUnavailableError('PostgreSQL', e.message);
    if (!errorLike(e)) continue;
    if (isConnectionFailureMessage(e.message)) return new DependencyUnavailableError('PostgreSQL', e.message);
    if (db && typeof e.code === 'string' && NETWORK_CODES.has(e.code) && e.port === db.port) {
      return new DependencyUnavailableError('PostgreSQL', `${e.code} (${db.host}:${db.port})`);
    }
    const inners = (e as { errors?: unknown }).errors;
    if (Array.isArray(inners)) {
      // An AggregateError: a host name dialled on several addresses (localhost: ::1 and 127.0.0.1).
      for (const inner of inners) {
        const found = unavailableDependency(inner, databaseUrl);
        if (found) return found;
      }
    }
  }
  return undefined;
}
