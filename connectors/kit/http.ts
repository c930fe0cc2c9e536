import { EgressRefused, type Egress } from './egress';
import { egressFetch, type EgressAnswer } from './egress-fetch';
import { authError, ConnectorError, notFoundError, rateLimitedError, transientError, validationError } from './errors';
import { cut, headerSecrets, redact } from './redact';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the account's base URL as given (already encoded). */
  path: string;
  query?: Record<string, string | number | boolean | undefined | Array<string | number>>;
  headers?: Record<string, string>;
  body?: string;
  /** Overrides the client's timeout for one call. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface HttpClientOptions {
  system: string;
  baseUrl: string;
  /** Values that must never appear in an error message or log line. */
  secrets: readonly string[];
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Where this client may send requests (kit/egress.ts): checked on every call, after DNS resolution. */
  egress: Egress;
  /**
   * Called before every request: inside an activity it heartbeats. While the request is in flight
   * the activity heartbeats on a timer (activities/heartbeat-on-timer.ts), so a slow answer never
   * outlasts the heartbeat timeout and a worker that dies mid-call is noticed within it.
   */
  beforeRequest?: () => void;
}

/**
 * Builds a query string in insertion order, repeating keys for arrays (fieldName=a&fieldName=b).
 * Not for a signed query: fetch sends some characters this leaves alone (') encoded, so a provider
 * that signs its query builds it with `strictQuery` (strict-query.ts) and passes it in `path`.
 */
export function buildQuery(query: HttpRequest['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
    }
  }
  return parts.join('&');
}

/**
 * The HTTP helper every connector uses: base URL per account, a timeout on every call, secrets
 * scrubbed from every error, and network failures turned into retryable errors. Status codes are
 * interpreted by the connector (several providers answer errors with HTTP 200), with
 * `errorForStatus` as the common default.
 */
export class HttpClient {
  readonly baseUrl: string;
  private readonly secrets: string[];

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secrets = [...options.secrets];
  }

  /** A secret learned after the client was made (a refreshed access token) is scrubbed from then on. */
  addSecret(value: string): void {
    if (!this.secrets.includes(value)) this.secrets.push(value);
  }

  get system() {
    return this.options.system;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const qs = buildQuery(req.query);
    const url = `${this.baseUrl}${req.path}${qs ? (req.path.includes('?') ? '&' : '?') + qs : ''}`;
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    this.options.beforeRequest?.();
    const headers = { ...this.options.headers, ...req.headers };
    for (const secret of headerSecrets(headers)) this.addSecret(secret);
    let res: EgressAnswer;
    try {
      res = await egressFetch(url, { method: req.method, headers, body: req.body, signal: AbortSignal.timeout(timeoutMs) }, this.options.egress);
    } catch (e) {
      if (e instanceof EgressRefused) throw validationError(this.system, this.scrub(`${req.method} ${req.path}: ${e.message}`));
      const reason = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describe(e);
      throw transientError(this.system, this.scrub(`${req.method} ${req.path}: ${reason}`));
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw transientError(this.system, this.scrub(`${req.method} ${req.path}: body lost (${describe(e)})`), res.status);
    }
    if (res.status >= 300 && res.status < 400) {
      // Never followed: the credentials in this request's headers and body stay with the host they were meant for.
      const to = res.headers.get('location');
      throw validationError(this.system, cut(this.scrub(`${req.method} ${req.path}: answered HTTP ${res.status}, a redirect, not followed (check the account's base URL)${to ? `; it pointed to ${to}` : ''}`)), res.status);
    }
    return { status: res.status, headers: res.headers, text };
  }

  /** The default reading of an HTTP error status; `message` is the provider's own words. */
  errorForStatus(res: HttpResponse, message: string): ConnectorError {
    const msg = cut(this.scrub(message || `HTTP ${res.status}`));
    const s = res.status;
    if (s === 401 || s === 403) return authError(this.system, msg, s);
    if (s === 404) return notFoundError(this.system, msg, s);
    if (s === 429) return rateLimitedError(this.system, msg, retryAfterMs(res.headers) ?? 5_000, s);
    if (s >= 500 || s === 408) return transientError(this.system, msg, s);
    return validationError(this.system, msg, s);
  }

  scrub(text: string): string {
    return redact(text, this.secrets);
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}
