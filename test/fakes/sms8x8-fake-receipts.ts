import http from 'node:http';

/**
 * Delivery receipts as 8x8 posts them: to the message's dlrCallbackUrl, once the message has a
 * status, retried after 1, 10, 30 and 90 s when the receiver does not answer 2xx, then dropped.
 */
export const RECEIPT_RETRY_DELAYS_MS = [1_000, 10_000, 30_000, 90_000];

export interface ReceiptPost {
  url: string;
  clientMessageId?: string;
  state: string;
  attempt: number;
  status: number | 'no-response';
  at: number;
}

export class ReceiptSender {
  readonly posts: ReceiptPost[] = [];
  /** Receipts given up on after the last retry. */
  readonly dropped: { url: string; clientMessageId?: string }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queue: (() => Promise<void>)[] = [];
  private active = 0;
  private closed = false;

  constructor(
    private readonly options: { delayMs: number; retryDelaysMs: readonly number[]; concurrency: number },
    private readonly now: () => number,
  ) {}

  /** Pending deliveries (first tries and retries not yet made). */
  get pending(): number {
    return this.timers.size + this.queue.length + this.active;
  }

  post(url: string, body: unknown, meta: { clientMessageId?: string; state: string }): void {
    this.later(this.options.delayMs, url, body, meta, 0);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
  }

  private later(ms: number, url: string, body: unknown, meta: { clientMessageId?: string; state: string }, attempt: number) {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(() => this.attempt(url, body, meta, attempt));
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private enqueue(job: () => Promise<void>) {
    this.queue.push(job);
    this.pump();
  }

  private pump() {
    while (!this.closed && this.active < this.options.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      void job().finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async attempt(url: string, body: unknown, meta: { clientMessageId?: string; state: string }, attempt: number): Promise<void> {
    const status = await postJson(url, body);
    this.posts.push({ url, ...meta, attempt, status, at: this.now() });
    if (typeof status === 'number' && status >= 200 && status < 300) return;
    const next = this.options.retryDelaysMs[attempt];
    if (next === undefined) this.dropped.push({ url, clientMessageId: meta.clientMessageId });
    else this.later(next, url, body, meta, attempt + 1);
  }
}

/** One POST on its own connection: no keep-alive socket outlives the fake. */
function postJson(url: string, body: unknown): Promise<number | 'no-response'> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent: false, timeout: 10_000, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('no-response'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve('no-response'));
    req.end(JSON.stringify(body));
  });
}
