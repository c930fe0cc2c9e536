import http from 'node:http';
import type { Socket } from 'node:net';

export interface FaultConfig {
  /** Fraction [0..1] of requests answered with one of `statuses`. */
  failRate: number;
  /** Defaults to [429, 500, 502, 503]. */
  statuses?: number[];
  /** Fraction [0..1] of requests that never get an answer. */
  timeoutRate?: number;
  /** Latency added to every request. */
  delayMs?: number;
  /**
   * Fraction [0..1] of requests that are carried out (state changes) but answered 502 instead of
   * their result: the answer lost on the way back, the case that makes naive retries duplicate.
   */
  lostAnswerRate?: number;
}

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** The query string exactly as it arrived (after '?', still percent-encoded). */
  rawQuery: string;
  headers: Record<string, string>;
  body: string;
  status: number | 'no-response';
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /**
   * The query string exactly as it arrived (after '?', still percent-encoded): what a provider
   * that signs the query checks its signature over, byte for byte.
   */
  rawQuery: string;
  headers: Record<string, string>;
  body: string;
  remoteAddress: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** Destroy the socket at once (e.g. UNAS's IP ban answers nothing at all). */
export const DROP = 'drop';
export type FakeOutcome = FakeResponse | typeof DROP;

export interface FakeServerOptions {
  seed?: number;
  now?: () => number;
  faults?: FaultConfig;
  /** Called after every recorded call, e.g. to print a trace in a benchmark. */
  onCall?: (call: RecordedCall) => void;
}

const DEFAULT_FAULT_STATUSES = [429, 500, 502, 503];
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const HANG_LIMIT_MS = 30_000;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

export function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * An in-process HTTP server for one third-party API. Subclasses implement `handle` (state, wire format,
 * the provider's own limits) and `faultResponse` (the body a provider gives for an injected status).
 */
export abstract class FakeServer {
  readonly calls: RecordedCall[] = [];
  url = '';
  faults: FaultConfig;
  protected readonly now: () => number;
  /** For fake data only, so data generation never shifts the fault sequence. */
  protected readonly dataRandom: () => number;
  private readonly faultRandom: () => number;
  private readonly onCall: ((call: RecordedCall) => void) | undefined;
  private server: http.Server | undefined;
  private readonly hanging = new Map<Socket, NodeJS.Timeout>();
  private readonly slowAnswers: { ms: number; match: (req: FakeRequest) => boolean; left: number }[] = [];

  protected constructor(options: FakeServerOptions = {}) {
    const seed = options.seed ?? 42;
    this.faultRandom = mulberry32(seed);
    this.dataRandom = mulberry32(seed ^ 0x5bd1e995);
    this.now = options.now ?? Date.now;
    this.faults = options.faults ?? { failRate: 0 };
    this.onCall = options.onCall;
  }

  protected abstract handle(req: FakeRequest): FakeOutcome | Promise<FakeOutcome>;
  protected abstract faultResponse(status: number): FakeResponse;

  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake server error: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fake server has no TCP address');
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const [socket, timer] of this.hanging) {
      clearTimeout(timer);
      socket.destroy();
    }
    this.hanging.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /**
   * The next `count` requests that `match` are answered only after `ms` more (a provider slow but
   * alive, e.g. MiniCRM taking minutes over a big XML upload); `faults.delayMs` slows every request.
   */
  answerSlowly(ms: number, match: (req: FakeRequest) => boolean = () => true, count = 1): void {
    this.slowAnswers.push({ ms, match, left: count });
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const url = new URL(target, 'http://fake.local');
    const queryAt = target.indexOf('?');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: toQuery(url.searchParams),
      rawQuery: queryAt < 0 ? '' : target.slice(queryAt + 1),
      headers: toHeaders(req.headers),
      body: '',
      remoteAddress: req.socket.remoteAddress ?? 'unknown',
    };
    const body = await readBody(req);
    if (body === undefined) {
      this.send(res, request, { status: 413, headers: { connection: 'close' }, body: 'Payload Too Large' });
      return;
    }
    request.body = body;

    const delayMs = this.faults.delayMs ?? 0;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const slow = this.slowAnswers.find((s) => s.left > 0 && s.match(request));
    if (slow) {
      slow.left -= 1;
      await new Promise((resolve) => setTimeout(resolve, slow.ms));
    }

    // One draw per request whatever the config, so a given seed replays the same fault sequence.
    const roll = this.faultRandom();
    const pick = this.faultRandom();
    const timeoutRate = this.faults.timeoutRate ?? 0;
    if (roll < timeoutRate) {
      this.record(request, 'no-response');
      this.hang(req.socket);
      return;
    }
    if (roll < timeoutRate + this.faults.failRate) {
      const statuses = this.faults.statuses?.length ? this.faults.statuses : DEFAULT_FAULT_STATUSES;
      const status = statuses[Math.floor(pick * statuses.length)] ?? 500;
      this.send(res, request, this.faultResponse(status));
      return;
    }

    const outcome = await this.handle(request);
    if (outcome !== DROP && pick < (this.faults.lostAnswerRate ?? 0)) {
      this.send(res, request, this.faultResponse(502));
      return;
    }
    if (outcome === DROP) {
      this.record(request, 'no-response');
      req.socket.destroy();
      return;
    }
    this.send(res, request, outcome);
  }

  private send(res: http.ServerResponse, request: FakeRequest, response: FakeResponse): void {
    this.record(request, response.status);
    res.writeHead(response.status, { 'content-type': 'text/plain; charset=utf-8', ...response.headers });
    res.end(response.body);
  }

  private hang(socket: Socket): void {
    const timer = setTimeout(() => {
      this.hanging.delete(socket);
      socket.destroy();
    }, HANG_LIMIT_MS);
    timer.unref();
    this.hanging.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.hanging.delete(socket);
    });
  }

  private record(request: FakeRequest, status: number | 'no-response'): void {
    const call: RecordedCall = {
      at: this.now(),
      method: request.method,
      path: request.path,
      query: request.query,
      rawQuery: request.rawQuery,
      headers: request.headers,
      body: request.body,
      status,
    };
    this.calls.push(call);
    this.onCall?.(call);
  }
}

function toQuery(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 && values[0] !== undefined ? values[0] : values;
  }
  return query;
}

function toHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Resolves undefined when the body exceeds the size limit. */
function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
