import { MiniCrmFake, type MiniCrmFakeOptions } from '../fakes/minicrm-fake';
import { UnasFake, type UnasFakeOptions } from '../fakes/unas-fake';
import type { Harness } from './harness';

export const STATUS_MAP = { Beérkezett: 'Új rendelés', 'Feldolgozás alatt': 'Feldolgozás', Teljesítve: 'Teljesítve' };
export const ORDERS_CATEGORY = 17;

export interface Scenario {
  unas: UnasFake;
  crm: MiniCrmFake;
  unasAccountId: string;
  crmAccountId: string;
  integrationId: string;
  close(): Promise<void>;
}

export async function startFakes(unasOptions: UnasFakeOptions = {}, crmOptions: MiniCrmFakeOptions = {}) {
  const unas = new UnasFake(unasOptions);
  const crm = new MiniCrmFake(crmOptions);
  await Promise.all([unas.start(), crm.start()]);
  return { unas, crm };
}

export async function createAccounts(h: Harness, unas: UnasFake, crm: MiniCrmFake, limits: { unas?: Record<string, number>; crm?: Record<string, number> } = {}) {
  const a = await h.request<{ id: string }>('POST', '/accounts', { system: 'unas', name: 'Webshop', baseUrl: unas.url, credentials: { apiKey: 'unas-test-key' }, ...(limits.unas && { limits: limits.unas }) });
  const b = await h.request<{ id: string }>('POST', '/accounts', { system: 'minicrm', name: 'CRM', baseUrl: crm.url, credentials: { systemId: crm.systemId, apiKey: crm.apiKey }, ...(limits.crm && { limits: limits.crm }) });
  if (a.status !== 201 || b.status !== 201) throw new Error(`account creation failed: ${a.text} ${b.text}`);
  return { unasAccountId: a.body.id, crmAccountId: b.body.id };
}

export function orderSyncBody(unasAccountId: string, crmAccountId: string, config: Record<string, unknown> = {}) {
  return {
    kind: 'order-sync',
    name: 'UNAS → MiniCRM',
    source: { accountId: unasAccountId },
    target: { accountId: crmAccountId },
    config: { owner: 'Kovács Anna', linkField: 'UnasLink', statusField: 'UnasStatus', statusMap: STATUS_MAP, syncFrom: '2020-01-01', pollIntervalSeconds: 10, ...config },
  };
}

export async function createOrderSync(h: Harness, ids: { unasAccountId: string; crmAccountId: string }, config: Record<string, unknown> = {}): Promise<string> {
  const res = await h.request<{ id: string }>('POST', '/integrations', orderSyncBody(ids.unasAccountId, ids.crmAccountId, config));
  if (res.status !== 201) throw new Error(`integration creation failed: ${res.status} ${res.text}`);
  return res.body.id;
}

/** Polls a condition until it holds; the message says what was last seen when it never does. */
export async function waitFor<T>(what: string, probe: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 90_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Order cards by external id: every value is how many cards carry it (1 = exactly once). */
export function cardsByOrder(crm: MiniCrmFake): Map<string, number> {
  const counts = new Map<string, number>();
  for (const card of crm.projects(ORDERS_CATEGORY)) {
    const id = card.ExternalId ?? `#${card.Id}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Asserts every UNAS order (optionally only some) is in MiniCRM exactly once. */
export function exactlyOnce(unas: UnasFake, crm: MiniCrmFake, onlyMappedStatuses = true): { missing: string[]; duplicated: string[]; extra: string[] } {
  const counts = cardsByOrder(crm);
  const expected = unas.orders.filter((o) => !onlyMappedStatuses || o.status in STATUS_MAP).map((o) => `unas-order-${o.key}`);
  const expectedSet = new Set(expected);
  return {
    missing: expected.filter((id) => !counts.has(id)),
    duplicated: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    extra: [...counts.keys()].filter((id) => !expectedSet.has(id)),
  };
}
