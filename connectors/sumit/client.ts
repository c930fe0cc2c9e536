import { z } from 'zod';
import { authError, notFoundError, rateLimitedError, transientError, validationError, type ConnectorError } from '../kit/errors';
import { retryAfterMs, type HttpResponse } from '../kit/http';
import type { ConnectorContext } from '../kit/types';
import type { SumitCredentials } from './auth';

export type SumitContext = ConnectorContext<SumitCredentials>;

/** SUMIT documents a "temporary block" above ~100 calls/minute but no wait: we sit out a whole window. */
export const SUMIT_BLOCK_WAIT_MS = 60_000;

/** Every endpoint answers this envelope, errors included (with HTTP 200). */
const envelope = z.object({
  Status: z.union([z.number(), z.string()]),
  UserErrorMessage: z.string().nullish(),
  TechnicalErrorDetails: z.string().nullish(),
  Data: z.unknown(),
});

/**
 * Enums come as numbers or as "Name (n)" strings depending on the serializer, Status included:
 * 0, "0", "Success (0)" and "Success" all mean success. An unreadable status is never success.
 */
export function statusCode(status: number | string): number | undefined {
  if (typeof status === 'number') return status;
  const text = status.trim();
  const inParens = /\((-?\d+)\)$/.exec(text);
  if (inParens) return Number(inParens[1]);
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^success$/i.test(text)) return 0;
  return undefined;
}

/** [I] SUMIT's wording for its temporary block is unknown; these are the plausible phrasings. */
const BLOCKED = /too many (requests|calls)|temporar(il)?y blocked|rate limit|request limit/i;
/**
 * [I] SUMIT has no error codes, so credential errors are recognised by their words. A bare
 * "company" is not enough: "Company number is invalid" is about a customer's CompanyNumber.
 */
const CREDENTIALS = /credential|api ?key|company ?id\b|companyid|unauthori[sz]ed|not authori[sz]ed|permission denied|access denied/i;
/** [I] "Entity not found", "Document not found", "Folder … does not exist". */
const NOT_FOUND = /not found|does not exist|doesn't exist|no such/i;

/** Classifies a Status≠0 answer; the block check comes first because its text may name the API key. */
export function businessError(ctx: SumitContext, what: string, userMessage: string, technical: string | undefined, status: number): ConnectorError {
  const user = ctx.http.scrub(userMessage);
  const detail = technical ? ` (${ctx.http.scrub(technical)})` : '';
  if (BLOCKED.test(userMessage)) return rateLimitedError('sumit', `SUMIT ${what}: ${user}`, SUMIT_BLOCK_WAIT_MS, status);
  if (CREDENTIALS.test(userMessage)) return authError('sumit', `SUMIT refused the company id or API key: ${user}${detail}`, status);
  if (NOT_FOUND.test(userMessage)) return notFoundError('sumit', `SUMIT ${what}: ${user}${detail}`, status);
  return validationError('sumit', `SUMIT ${what}: ${user}${detail}`, status);
}

/** Non-2xx answers: SUMIT itself answers 200, so these mostly come from its gateway or proxy. */
function httpError(ctx: SumitContext, res: HttpResponse, what: string): ConnectorError {
  const text = ctx.http.scrub(res.text.replace(/\s+/g, ' ').trim().slice(0, 200)) || `HTTP ${res.status}`;
  if (res.status === 429) return rateLimitedError('sumit', `SUMIT ${what}: ${text}`, retryAfterMs(res.headers) ?? SUMIT_BLOCK_WAIT_MS, 429);
  return ctx.http.errorForStatus(res, `SUMIT ${what}: ${text}`);
}

/**
 * One SUMIT call: POST with a JSON body carrying the credentials, answers in English, counted
 * against the account's per-minute limit. Returns `Data` read with `data`; every failure, including
 * the Status≠0 answers SUMIT sends with HTTP 200, becomes a typed error.
 */
export async function callSumit<S extends z.ZodType>(ctx: SumitContext, path: string, body: Record<string, unknown>, data: S): Promise<z.output<S>> {
  const answered = await ctx.throttle('requestsPerMinute');
  const res = await ctx.http.request({
    method: 'POST',
    path,
    // Without Content-Language SUMIT answers in Hebrew, and our error rules read English.
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Language': 'en' },
    body: JSON.stringify({ ...body, Credentials: { CompanyID: Number(ctx.credentials.companyId), APIKey: ctx.credentials.apiKey } }),
  }).finally(answered);
  if (res.status < 200 || res.status >= 300) throw httpError(ctx, res, path);

  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    throw transientError('sumit', `SUMIT ${path}: answer is not JSON: ${ctx.http.scrub(res.text.slice(0, 120))}`, res.status);
  }
  const env = envelope.safeParse(json);
  if (!env.success) throw transientError('sumit', `SUMIT ${path}: answer has no Status envelope`, res.status);
  const { Status, UserErrorMessage, TechnicalErrorDetails, Data } = env.data;
  if (statusCode(Status) !== 0) {
    const message = UserErrorMessage || TechnicalErrorDetails || `Status ${String(Status)}`;
    throw businessError(ctx, path, message, UserErrorMessage ? (TechnicalErrorDetails ?? undefined) : undefined, res.status);
  }
  const parsed = data.safeParse(Data);
  if (!parsed.success) {
    throw transientError('sumit', `SUMIT ${path}: unexpected Data (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, res.status);
  }
  return parsed.data;
}

/** For endpoints whose Data we do not read (null on success). */
export const ANY_DATA = z.unknown();
