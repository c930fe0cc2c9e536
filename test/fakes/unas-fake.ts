import { DROP, FakeServer, type FakeOutcome, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { SlidingWindow, asArray, isRecord, parseXml, textOf } from './fake-util';
import {
  DEFAULT_UNAS_STATUSES,
  generateOrder,
  resolveStatus,
  sumGross,
  type UnasOrder,
  type UnasOrderInput,
  type UnasStatus,
} from './unas-fake-data';
import { flatParams, parseOrderQuery, runOrderQuery } from './unas-fake-query';
import { loginXml, ordersXml, setOrderResultXml, unasDate, unasError, xmlResponse, type SetOrderResult } from './unas-fake-xml';

export type { UnasAddress, UnasCustomer, UnasItem, UnasOrder, UnasOrderInput, UnasStatus } from './unas-fake-data';

export interface UnasFakeOptions extends FakeServerOptions {
  /** Valid API keys; all belong to the one fake shop. */
  apiKeys?: string[];
  /** Multi-order getOrder queries per hour (PREMIUM 30, VIP 90); null = unlimited. */
  orderQueriesPerHour?: number | null;
  /** Single-order (`Key`) getOrder queries per hour (PREMIUM 1000, VIP 3000); null = unlimited. */
  singleOrderQueriesPerHour?: number | null;
  /** All identified calls per hour (PREMIUM 2000, VIP 6000); null = unlimited. */
  callsPerHour?: number | null;
  tokenTtlMs?: number;
  shopId?: number;
  statuses?: UnasStatus[];
}

const HOUR = 3_600_000;
const UNIDENTIFIED_WINDOW_MS = 10 * 60_000;
const UNIDENTIFIED_LIMIT = 10;
const API_BAN_MS = 2 * HOUR;
const SHOP_BAN_MS = HOUR;
const FAILED_CALLS_PER_ENDPOINT = 20;
const ENDPOINTS = new Set(['login', 'getOrder', 'setOrder']);

const FAULT_MESSAGES: Record<number, string> = {
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

export class UnasFake extends FakeServer {
  /** True once any ban (shop quota or unidentified-call ban) has happened. */
  banned = false;
  banReason: string | undefined;
  logins = 0;
  readonly statuses: UnasStatus[];
  private readonly apiKeys: Set<string>;
  private readonly limits: { multi: number | null; single: number | null; calls: number | null };
  private readonly tokenTtlMs: number;
  private readonly shopId: number;
  private readonly byKey = new Map<string, UnasOrder>();
  private seq = 0;
  private readonly tokens = new Map<string, number>();
  /** Keyed by caller IP: the real limits are per IP (and per shop; the fake has one shop). */
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly apiBans = new Map<string, number>();
  private readonly shopBans = new Map<string, { until: number; message: string }>();
  private readonly failedCalls = new Map<string, number>();

  constructor(options: UnasFakeOptions = {}) {
    super(options);
    this.apiKeys = new Set(options.apiKeys ?? ['unas-test-key']);
    this.limits = {
      multi: options.orderQueriesPerHour === undefined ? 30 : options.orderQueriesPerHour,
      single: options.singleOrderQueriesPerHour === undefined ? 1000 : options.singleOrderQueriesPerHour,
      calls: options.callsPerHour === undefined ? 2000 : options.callsPerHour,
    };
    this.tokenTtlMs = options.tokenTtlMs ?? 2 * HOUR;
    this.shopId = options.shopId ?? 12345;
    this.statuses = options.statuses ?? DEFAULT_UNAS_STATUSES.map((s) => ({ ...s }));
  }

  // ---- test helpers -------------------------------------------------------

  get orders(): UnasOrder[] {
    return [...this.byKey.values()].sort((a, b) => a.id - b.id);
  }

  getOrder(key: string): UnasOrder | undefined {
    return this.byKey.get(key);
  }

  addOrder(partial: UnasOrderInput = {}): UnasOrder {
    this.seq += 1;
    const order = generateOrder(this.seq, this.dataRandom, this.now(), this.statuses, partial);
    if (this.byKey.has(order.key)) throw new Error(`UnasFake: duplicate order key ${order.key}`);
    this.byKey.set(order.key, order);
    return order;
  }

  addOrders(n: number, partial: UnasOrderInput = {}): UnasOrder[] {
    return Array.from({ length: n }, () => this.addOrder(partial));
  }

  /** Applies the changes and bumps modifiedAt to now() unless the changes set it. */
  updateOrder(key: string, changes: UnasOrderInput): UnasOrder {
    const order = this.byKey.get(key);
    if (!order) throw new Error(`UnasFake: unknown order ${key}`);
    const { customer, status, statusId, ...rest } = changes;
    // Key and Id identify the order (and its map entry) for its whole life.
    Object.assign(order, rest, { key: order.key, id: order.id });
    if (changes.items && changes.sumPriceGross === undefined) order.sumPriceGross = sumGross(order.items);
    if (customer) order.customer = { ...order.customer, ...customer };
    if (status !== undefined || statusId !== undefined) {
      const resolved = resolveStatus(this.statuses, statusId !== undefined ? { statusId } : { status });
      order.status = resolved.name;
      order.statusId = resolved.id;
    }
    order.modifiedAt = changes.modifiedAt ?? this.now();
    return order;
  }

  expireAllTokens(): void {
    this.tokens.clear();
  }

  clearBans(): void {
    this.apiBans.clear();
    this.shopBans.clear();
    this.windows.clear();
    this.failedCalls.clear();
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
    return unasError(FAULT_MESSAGES[status] ?? 'Error', status, headers);
  }

  protected handle(req: FakeRequest): FakeOutcome {
    const ip = req.remoteAddress;
    // The unidentified-call ban covers the whole API and answers nothing at all.
    if ((this.apiBans.get(ip) ?? 0) > this.now()) return DROP;
    const endpoint = req.path.replace(/^\/+/, '');
    if (!ENDPOINTS.has(endpoint)) return unasError('Unknown function', 404);
    // Third-party clients send GET with a body; the server tolerates it.
    if (req.method !== 'POST' && req.method !== 'GET') return unasError('Method not allowed', 405);
    const shopBan = this.shopBans.get(ip);
    if (shopBan && shopBan.until > this.now()) return unasError(shopBan.message);

    if (endpoint === 'login') return this.login(req, ip);
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : this.tokens.get(token);
    if (expiresAt === undefined) return this.unidentified(ip, 'Invalid token');
    if (expiresAt <= this.now()) return this.failed(ip, endpoint, 'Token expired');
    if (!this.window(ip, 'calls', HOUR).tryHit(this.limits.calls)) return this.shopBan(ip, endpoint, 'callsPerHour');

    const parsed = parseXml(req.body, ['Order']);
    if (!isRecord(parsed)) return this.failed(ip, endpoint, 'Invalid XML');
    const response = endpoint === 'getOrder' ? this.getOrders(ip, parsed) : this.setOrders(ip, parsed);
    if (response !== DROP && response.status === 200) this.failedCalls.delete(`${ip} ${endpoint}`);
    return response;
  }

  private login(req: FakeRequest, ip: string): FakeOutcome {
    const parsed = parseXml(req.body);
    const params = isRecord(parsed) && isRecord(parsed.Params) ? parsed.Params : undefined;
    const apiKey = params === undefined ? undefined : textOf(params.ApiKey);
    if (apiKey === undefined || !this.apiKeys.has(apiKey.trim())) return this.unidentified(ip, 'Invalid API key');
    if (!this.window(ip, 'calls', HOUR).tryHit(this.limits.calls)) return this.shopBan(ip, 'login', 'callsPerHour');
    const token = Array.from({ length: 40 }, () => Math.floor(this.dataRandom() * 16).toString(16)).join('');
    const expiresAt = this.now() + this.tokenTtlMs;
    this.tokens.set(token, expiresAt);
    this.logins += 1;
    return xmlResponse(200, loginXml(token, expiresAt, this.shopId, ['getOrder', 'setOrder']));
  }

  private getOrders(ip: string, body: Record<string, unknown>): FakeOutcome {
    const params = flatParams(body.Params);
    if (!params.ok) return this.failed(ip, 'getOrder', params.error);
    const query = parseOrderQuery(params.value, this.statuses);
    if (!query.ok) return this.failed(ip, 'getOrder', query.error);
    const quota = query.value.single
      ? this.window(ip, 'single', HOUR).tryHit(this.limits.single)
      : this.window(ip, 'multi', HOUR).tryHit(this.limits.multi);
    if (!quota) return this.shopBan(ip, 'getOrder', query.value.single ? 'singleOrderQueriesPerHour' : 'orderQueriesPerHour');
    return xmlResponse(200, ordersXml(runOrderQuery(this.byKey.values(), query.value)));
  }

  private setOrders(ip: string, body: Record<string, unknown>): FakeOutcome {
    if (!isRecord(body.Orders)) return this.failed(ip, 'setOrder', 'Invalid Orders');
    const results: SetOrderResult[] = asArray(body.Orders.Order).map((item) => {
      const fields = isRecord(item) ? item : {};
      const action = textOf(fields.Action)?.trim() ?? '';
      const key = textOf(fields.Key)?.trim() ?? '';
      if (action !== 'modify') return { action, key, error: `Action not supported by the fake: ${action}` };
      const order = this.byKey.get(key);
      if (!order) return { action, key, error: 'Order not found' };
      const status = textOf(fields.Status)?.trim();
      if (status !== undefined && status !== '') {
        const found = this.statuses.find((s) => s.name === status || String(s.id) === status);
        if (!found) return { action, key, error: `Invalid Status: ${status}` };
        order.status = found.name;
        order.statusId = found.id;
      }
      order.modifiedAt = this.now();
      return { action, key };
    });
    return xmlResponse(200, setOrderResultXml(results));
  }

  // ---- limits -------------------------------------------------------------

  private window(ip: string, kind: string, ms: number): SlidingWindow {
    const id = `${ip} ${kind}`;
    let window = this.windows.get(id);
    if (!window) {
      window = new SlidingWindow(ms, this.now);
      this.windows.set(id, window);
    }
    return window;
  }

  /** Bad key or token: the 10th within 10 minutes bans the IP from the whole API, silently. */
  private unidentified(ip: string, message: string): FakeOutcome {
    const window = this.window(ip, 'unidentified', UNIDENTIFIED_WINDOW_MS);
    window.tryHit(null);
    if (window.count() >= UNIDENTIFIED_LIMIT) {
      this.apiBans.set(ip, this.now() + API_BAN_MS);
      this.banned = true;
      this.banReason = `${UNIDENTIFIED_LIMIT} unidentifiable calls within 10 minutes: no response for 2 hours`;
      return DROP;
    }
    return unasError(message);
  }

  /** Identified calls that fail: more than 20 in a row on one endpoint ban the IP for the shop. */
  private failed(ip: string, endpoint: string, message: string): FakeOutcome {
    const id = `${ip} ${endpoint}`;
    const count = (this.failedCalls.get(id) ?? 0) + 1;
    this.failedCalls.set(id, count);
    if (count > FAILED_CALLS_PER_ENDPOINT) return this.shopBan(ip, endpoint, `more than ${FAILED_CALLS_PER_ENDPOINT} failed calls`);
    return unasError(message);
  }

  private shopBan(ip: string, endpoint: string, limit: string): FakeResponse {
    const until = this.now() + SHOP_BAN_MS;
    const message = `Too much ${endpoint} query, IP is banned till ${unasDate(until)}`;
    this.shopBans.set(ip, { until, message });
    this.banned = true;
    this.banReason = `${endpoint}: ${limit} exceeded`;
    return unasError(message);
  }
}
