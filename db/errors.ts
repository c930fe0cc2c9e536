import { DrizzleQueryError } from 'drizzle-orm/errors';
import { DatabaseError } from 'pg';

/**
 * What may be said of a database error outside the process: its SQLSTATE code and the names of
 * the table and constraint. Never its message's query, its parameters (phone numbers, texts,
 * e-mail addresses of a whole batch) or its `detail`, which quotes the conflicting values.
 */
export interface DatabaseErrorFacts {
  code: string | null;
  condition: string | null;
  table: string | null;
  constraint: string | null;
  /** PostgreSQL could not be reached or the connection broke: not the query's fault. */
  unreachable: boolean;
}

/** SQLSTATE codes we name; an unnamed code is still shown as its number. */
const CONDITIONS: Record<string, string> = {
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22P02': 'invalid_text_representation',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42P01': 'undefined_table',
  '42703': 'undefined_column',
  '53300': 'too_many_connections',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '57P03': 'cannot_connect_now',
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);

/** Messages pg and pg-pool throw, not as a DatabaseError, when the server cannot be reached or stops answering. */
const CONNECTION_MESSAGES = [
  'timeout exceeded when trying to connect',
  'connection terminated',
  'query read timeout',
  'client has encountered a connection error and is not queryable',
];
export const isConnectionFailureMessage = (message: string): boolean => CONNECTION_MESSAGES.some((m) => message.toLowerCase().includes(m));

/** SQLSTATE of a server that cannot take the query now: class 08 (connection), 57P01–57P03 (shutting down, starting up), 53300 (too many connections). */
export const isUnreachableCode = (code: string): boolean => code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';

function chain(e: unknown): unknown[] {
  const links: unknown[] = [];
  for (let cur = e; cur && links.length < 10 && !links.includes(cur); cur = (cur as { cause?: unknown }).cause) links.push(cur);
  return links;
}

/** The facts of a database error anywhere in `e`'s cause chain, or undefined when none is there. */
export function databaseErrorFacts(e: unknown): DatabaseErrorFacts | undefined {
  const links = chain(e);
  const pg = links.find((l): l is DatabaseError => l instanceof DatabaseError);
  const drizzle = links.find((l) => l instanceof DrizzleQueryError);
  if (!pg && !drizzle) return undefined;
  const code = pg?.code ?? null;
  const network = links.some((l) => NETWORK_CODES.has(String((l as { code?: unknown }).code)));
  const connectionMessage = links.some((l) => l instanceof Error && isConnectionFailureMessage(l.message));
  return {
    code,
    condition: code ? (CONDITIONS[code] ?? null) : null,
    table: pg?.table ?? null,
    constraint: pg?.constraint ?? null,
    unreachable: network || connectionMessage || (code !== null && isUnreachableCode(code)),
  };
}

/** One line for history, lastError and logs: `database error 23505 (unique_violation) in sms_messages (sms_messages_row_idx)`. */
export function describeDatabaseError(f: DatabaseErrorFacts): string {
  if (f.unreachable && !f.code) return 'database unreachable';
  const parts = ['database error'];
  if (f.code) parts.push(f.condition ? `${f.code} (${f.condition})` : f.code);
  if (f.table) parts.push(`in ${f.table}`);
  if (f.constraint) parts.push(`(${f.constraint})`);
  return parts.join(' ');
}

/** What a log line may carry of an error: a database error's facts only, anything else as it is. */
export function loggableError(e: unknown): unknown {
  const facts = databaseErrorFacts(e);
  return facts ? { type: 'database', message: describeDatabaseError(facts), ...facts } : e;
}
