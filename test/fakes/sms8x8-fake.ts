import { randomUUID } from 'node:crypto';
import { DROP, FakeServer, json, type FakeOutcome, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { isRecord, SlidingWindow } from './fake-util';
import { RECEIPT_RETRY_DELAYS_MS, ReceiptSender } from './sms8x8-fake-receipts';
import { asWireMessage, detectEncoding, partsOf, rejection, requestError, type WireMessage } from './sms8x8-fake-rules';

export interface Sms8x8FakeOptions extends FakeServerOptions {
  /** API key → the sub-accounts it may send from. */
  apiKeys?: Record<string, string[]>;
  /** Requests per second per sub-account (documented default 1800); null = unlimited. */
  requestsPerSecond?: number | null;
  /** Seconds in the Retry-After of a 429 (8x8's example: 1). */
  retryAfterSeconds?: number;
  /**
   * Delivery receipts to each message's dlrCallbackUrl, as the real 8x8 posts them (on by
   * default): the state reached, after `delayMs`, retried on the real schedule unless overridden.
   */
  receipts?: { enabled?: boolean; state?: 'delivered' | 'sent' | 'undelivered'; delayMs?: number; retryDelaysMs?: number[]; concurrency?: number };
}

export interface SentSms {
  umid: string;
  subAccountId: string;
  batchId?: string;
  clientMessageId?: string;
  clientBatchId?: string;
  destination: string;
  text: string;
  source?: string;
  /** Where 8x8 would post this message's receipts, as the send gave it. */
  dlrCallbackUrl?: string;
  encoding: 'GSM7' | 'UCS2';
  parts: number;
  status: 'QUEUED' | 'REJECTED';
  description: string;
  at: number;
}

const MAX_BATCH = 10_000;
const QUEUED = 'SMS is accepted and queued for processing';

export class Sms8x8Fake extends FakeServer {
  /** Requests the limiter answered 429 (injected faults excluded). */
  limitViolations = 0;
  private readonly keys: Map<string, Set<string>>;
  private readonly perSecond: number | null;
  private readonly retryAfter: number;
  private readonly messages: SentSms[] = [];
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly scripted: FakeResponse[] = [];
  private dropAnswers = 0;
  /** Receipt posts made (and retried, and given up on). */
  readonly receipts: ReceiptSender;
  private readonly receiptsOn: boolean;
  private readonly receiptState: 'delivered' | 'sent' | 'undelivered';

  constructor(options: Sms8x8FakeOptions = {}) {
    super(options);
    this.keys = new Map(Object.entries(options.apiKeys ?? { 'fake-8x8-api-key-0001': ['acme_hq'] }).map(([k, subs]) => [k, new Set(subs)]));
    this.perSecond = options.requestsPerSecond === undefined ? 1800 : options.requestsPerSecond;
    this.retryAfter = options.retryAfterSeconds ?? 1;
    const r = options.receipts ?? {};
    this.receiptsOn = r.enabled ?? true;
    this.receiptState = r.state ?? 'delivered';
    this.receipts = new ReceiptSender({ delayMs: r.delayMs ?? 200, retryDelaysMs: r.retryDelaysMs ?? RECEIPT_RETRY_DELAYS_MS, concurrency: r.concurrency ?? 16 }, this.now);
  }

  override async close(): Promise<void> {
    this.receipts.close();
    await super.close();
  }

  // ---- test helpers -------------------------------------------------------

  /** Every message 8x8 took or refused, in order; `status` QUEUED ones are the SMS that go out. */
  sentMessages(filter: { status?: 'QUEUED' | 'REJECTED'; clientMessageId?: string } = {}): SentSms[] {
    return this.messages.filter((m) => (filter.status === undefined || m.status === filter.status) && (filter.clientMessageId === undefined || m.clientMessageId === filter.clientMessageId));
  }

  /** The key stops working (revoked in the 8x8 console) until `grantKey` gives it back. */
  revokeKey(apiKey: string): void {
    this.keys.delete(apiKey);
  }

  grantKey(apiKey: string, subAccountIds: string[]): void {
    this.keys.set(apiKey, new Set(subAccountIds));
  }

  /** The next requests get these answers instead of the real one. */
  scriptNext(...responses: FakeResponse[]): void {
    this.scripted.push(...responses);
  }

  /** The next `n` sends are carried out but their answer is lost (the connection drops). */
  dropAnswerAfterSending(n = 1): void {
    this.dropAnswers += n;
  }

  /** The webhook body 8x8 would POST for a message reaching `state`. */
  deliveryReceipt(umid: string, state: 'queued' | 'rejected' | 'sent' | 'delivered' | 'undelivered' | 'read', detail?: string): unknown {
    const m = this.messages.find((x) => x.umid === umid);
    if (!m) throw new Error(`Sms8x8Fake: no message ${umid}`);
    return this.receiptFor(m, state, detail);
  }

  private receiptFor(m: SentSms, state: 'queued' | 'rejected' | 'sent' | 'delivered' | 'undelivered' | 'read', detail?: string): unknown {
    return {
      namespace: 'SMS',
      eventType: 'outbound_message_status_changed',
      description: 'SMS outbound message delivery receipt',
      payload: {
        umid: m.umid,
        batchId: m.batchId ?? null,
        clientMessageId: m.clientMessageId ?? null,
        clientBatchId: m.clientBatchId ?? null,
        subAccountId: m.subAccountId,
        source: m.source ?? null,
        destination: m.destination,
        status: {
          state,
          detail: detail ?? (state === 'delivered' ? 'delivered_to_recipient' : state === 'undelivered' ? 'undelivered_to_recipient' : null),
          timestamp: new Date(this.now()).toISOString(),
          errorCode: state === 'undelivered' ? 15 : 0,
          errorMessage: state === 'undelivered' ? 'Invalid destination' : null,
        },
        price: { total: 0.0125 * m.parts, perSms: 0.0125, currency: 'USD' },
        smsCount: m.parts,
      },
    };
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return this.tooMany();
    return error(status, status >= 500 ? 2000 : 1000, status >= 500 ? 'Internal server error' : 'Invalid parameter');
  }

  protected handle(req: FakeRequest): FakeOutcome {
    const scripted = this.scripted.shift();
    if (scripted) return scripted;
    const m = /^\/api\/v1\/subaccounts\/([^/]+)\/messages(?:\/(batch|[^/]+))?\/?$/.exec(req.path);
    if (!m) return error(404, 1300, 'Not found');
    const key = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    const subs = key === undefined ? undefined : this.keys.get(key);
    if (!subs) return error(401, 1200, 'Request was not authenticated properly');
    const subAccountId = decodeURIComponent(m[1]!);
    if (!subs.has(subAccountId)) return error(400, 1001, "Provided subAccountId doesn't belongs to your account");
    if (!this.window(subAccountId).tryHit(this.perSecond)) {
      this.limitViolations++;
      return this.tooMany();
    }
    const tail = m[2];
    if (req.method === 'GET' && tail !== undefined && tail !== 'batch') return this.details(subAccountId, decodeURIComponent(tail));
    if (req.method !== 'POST' || (tail !== undefined && tail !== 'batch')) return error(405, 1000, 'Method not allowed');
    const body = parse(req.body);
    if (!body) return error(400, 1000, 'Invalid request body');
    const outcome = tail === 'batch' ? this.batch(subAccountId, body) : this.single(subAccountId, body);
    if (outcome.status === 200 && this.dropAnswers > 0) {
      this.dropAnswers--;
      return DROP;
    }
    return outcome;
  }

  private single(subAccountId: string, body: Record<string, unknown>): FakeResponse {
    const msg = asWireMessage(body);
    if (msg.destination === undefined) return error(400, 3002, 'Missed MSISDN');
    if (msg.text === undefined) return error(400, 3005, 'Missed Text');
    const bad = requestError(msg);
    if (bad) return error(400, bad.code, bad.message);
    return json(200, wireResult(this.store(subAccountId, msg, {})));
  }

  private batch(subAccountId: string, body: Record<string, unknown>): FakeResponse {
    // `messages` wins over `destinations`; the template fills what a message leaves out.
    const template = isRecord(body.template) ? body.template : {};
    const list: WireMessage[] = Array.isArray(body.messages)
      ? body.messages.map((x) => ({ ...template, ...asWireMessage(x) }))
      : Array.isArray(body.destinations)
        ? body.destinations.map((d) => ({ ...template, destination: d }))
        : [];
    if (list.length === 0) return error(400, 3012, 'Missed messages');
    if (list.length > MAX_BATCH) return error(400, 3013, 'Too much messages');
    const clientBatchId = typeof body.clientBatchId === 'string' ? body.clientBatchId : undefined;
    if (clientBatchId !== undefined && clientBatchId.length > 50) return error(400, 3014, 'Too long ClientBatchId');
    for (const msg of list) {
      const bad = requestError(msg);
      if (bad) return error(400, bad.code, bad.message);
    }
    const batchId = randomUUID();
    const sent = list.map((msg) => this.store(subAccountId, msg, { batchId, clientBatchId }));
    const accepted = sent.filter((s) => s.status === 'QUEUED').length;
    return json(200, {
      batchId,
      ...(clientBatchId !== undefined ? { clientBatchId } : {}),
      acceptedCount: accepted,
      rejectedCount: sent.length - accepted,
      ...(body.includeMessagesInResponse === true ? { messages: sent.map(wireResult) } : {}),
    });
  }

  private details(subAccountId: string, umid: string): FakeResponse {
    const m = this.messages.find((x) => x.umid === umid && x.subAccountId === subAccountId);
    if (!m) return error(404, 1300, 'Not found');
    return json(200, { ...wireResult(m), batchId: m.batchId, source: m.source, text: m.text, smsCount: m.parts });
  }

  private store(subAccountId: string, msg: WireMessage, batch: { batchId?: string; clientBatchId?: string }): SentSms {
    const text = typeof msg.text === 'string' ? msg.text : '';
    const encoding = detectEncoding(text, msg.encoding);
    const reason = rejection(msg, this.now());
    const sms: SentSms = {
      umid: randomUUID(),
      subAccountId,
      ...batch,
      clientMessageId: typeof msg.clientMessageId === 'string' ? msg.clientMessageId : undefined,
      destination: typeof msg.destination === 'string' ? msg.destination : JSON.stringify(msg.destination ?? null),
      text,
      source: typeof msg.source === 'string' ? msg.source : undefined,
      dlrCallbackUrl: typeof msg.dlrCallbackUrl === 'string' ? msg.dlrCallbackUrl : undefined,
      encoding,
      parts: partsOf(text, encoding),
      status: reason ? 'REJECTED' : 'QUEUED',
      description: reason ?? QUEUED,
      at: this.now(),
    };
    this.messages.push(sms);
    if (this.receiptsOn && typeof msg.dlrCallbackUrl === 'string') {
      const state = sms.status === 'REJECTED' ? 'rejected' : this.receiptState;
      this.receipts.post(msg.dlrCallbackUrl, this.receiptFor(sms, state), { clientMessageId: sms.clientMessageId, state });
    }
    return sms;
  }

  private tooMany(): FakeResponse {
    return error(429, 429, `Quota exceeded. Please try again in ${this.retryAfter} second(s).`, { 'retry-after': String(this.retryAfter) });
  }

  private window(subAccountId: string): SlidingWindow {
    let w = this.windows.get(subAccountId);
    if (!w) {
      w = new SlidingWindow(1000, this.now);
      this.windows.set(subAccountId, w);
    }
    return w;
  }
}

function wireResult(s: SentSms) {
  return {
    umid: s.umid,
    ...(s.clientMessageId !== undefined ? { clientMessageId: s.clientMessageId } : {}),
    destination: s.destination,
    encoding: s.encoding,
    status: { code: s.status, description: s.description },
  };
}

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** 8x8's error body: code, message, errorId, timestamp. */
export function error(status: number, code: number, message: string, headers: Record<string, string> = {}): FakeResponse {
  return json(status, { code, message, errorId: randomUUID(), timestamp: new Date().toISOString() }, headers);
}
