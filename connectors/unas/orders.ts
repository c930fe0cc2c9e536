import { z } from 'zod';
import { transientError } from '../kit/errors';
import type { ConnectorContext, PollResult } from '../kit/types';
import type { UnasCredentials } from './auth';
import { callUnas, type XmlNode } from './client';

/** XML text: a string, a number-like scalar, or an empty element (parsed as "" or an empty object). */
const text = z.preprocess((v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === undefined || v === null ? undefined : ''), z.string().optional());

const address = z.object({ Name: text, ZIP: text, City: text, Street: text, Country: text, CountryCode: text }).partial().optional();

const item = z.object({
  Id: text,
  Sku: text,
  Name: text,
  Unit: text,
  Quantity: text,
  PriceNet: text,
  PriceGross: text,
  Vat: text,
});

/** The part of a UNAS order the sync reads; unknown fields pass through untouched. */
export const unasOrder = z.object({
  Key: z.string().min(1),
  Id: text,
  Date: text,
  DateMod: text,
  Currency: text,
  Status: z.preprocess((v) => (v === undefined ? '' : v), z.string()),
  StatusID: text,
  SumPriceGross: text,
  Customer: z
    .object({
      Id: text,
      Email: text,
      Contact: z.object({ Name: text, Phone: text, Mobile: text }).partial().optional(),
      Addresses: z.object({ Invoice: address, Shipping: address }).partial().optional(),
    })
    .partial()
    .optional(),
  Payment: z.object({ Name: text, Type: text, Status: text }).partial().optional(),
  Shipping: z.object({ Name: text }).partial().optional(),
  Invoice: z.object({ Status: text, Number: text, Url: text }).partial().optional(),
  Items: z.object({ Item: z.array(item).optional() }).partial().optional(),
});
export type UnasOrder = z.infer<typeof unasOrder>;

export function parseOrders(doc: XmlNode): UnasOrder[] {
  const root = doc.Orders;
  if (root === undefined) throw transientError('unas', 'getOrder answered without an <Orders> root');
  const list = root && typeof root === 'object' ? (root as XmlNode).Order : undefined;
  const orders = Array.isArray(list) ? list : [];
  return orders.map((o, i) => {
    const parsed = unasOrder.safeParse(o);
    if (!parsed.success) throw transientError('unas', `order #${i} of the page is malformed: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  });
}

/**
 * Where a changed-orders poll stands. A window [since, end] of modification times is frozen in the
 * past and read page by page; `lastKey` is the last order of the page before, used to prove no
 * order slipped between pages.
 */
export const orderCursor = z.object({
  since: z.number().int().nonnegative(),
  end: z.number().int().nonnegative().optional(),
  offset: z.number().int().nonnegative().default(0),
  lastKey: z.string().optional(),
});
export type OrderCursor = z.infer<typeof orderCursor>;

const pageSize = z.number().int().positive().max(500).optional().describe('Orders per UNAS query (default and UNAS maximum: 500)');

export const changedOrdersInput = z.object({
  syncFrom: z.iso.date().describe('Orders placed before this date (YYYY-MM-DD) are never read'),
  pageSize,
  safetyLagSeconds: z.number().nonnegative().optional().describe('Seconds the read window stays behind now, for orders UNAS records late (default 60)'),
});

export interface ChangedOrdersInput extends z.infer<typeof changedOrdersInput> {
  /** How many orders of the previous page each page re-reads. */
  overlap?: number;
  now?: number;
}

export const ordersByStatusInput = z.object({
  syncFrom: z.iso.date().describe('Orders placed before this date (YYYY-MM-DD) are never read'),
  statuses: z.array(z.string()).min(1).describe('UNAS order status names'),
  pageSize,
});

const toUnasDate = (isoDate: string) => isoDate.replaceAll('-', '.');

/**
 * Orders changed since the cursor, a page at a time. UNAS pages by offset in an order of its own
 * (not by modification time), so a page boundary moves if an order of the window changes meanwhile
 * (it leaves the window, everything after it shifts down by one). Each page therefore re-reads the
 * last `overlap` orders of the page before and checks that the previous last order is still among
 * them; if it is not, more orders shifted than the overlap covers and the window is read again
 * from the start (writes are idempotent, so re-reading only costs queries). Orders that left the
 * window were modified after `end` and come with the next window. Nothing is lost, ties on the
 * same second included.
 */
export async function pollChangedOrders(
  ctx: ConnectorContext<UnasCredentials>,
  input: ChangedOrdersInput,
  cursor: OrderCursor | undefined,
): Promise<PollResult<UnasOrder, OrderCursor> & { restartedWindow: boolean }> {
  const pageSize = input.pageSize ?? 500;
  const overlap = Math.min(input.overlap ?? 20, pageSize - 1);
  const nowSec = Math.floor((input.now ?? Date.now()) / 1000);
  // Only whole seconds that are over: orders can still arrive in the current one.
  const horizon = nowSec - 1 - (input.safetyLagSeconds ?? 60);
  const since = cursor?.since ?? 0;
  const end = cursor?.end ?? horizon;
  if (end < since) return { records: [], nextCursor: { since, offset: 0 }, hasMore: false, restartedWindow: false };

  const offset = cursor?.offset ?? 0;
  const start = offset === 0 ? 0 : Math.max(0, offset - overlap);
  const doc = await callUnas(
    ctx,
    'getOrder',
    {
      DateStart: toUnasDate(input.syncFrom),
      TimeModStart: since,
      TimeModEnd: end,
      LimitNum: pageSize,
      ...(start > 0 ? { LimitStart: start } : {}),
    },
    ['orderQueriesPerHour'],
  );
  const page = parseOrders(doc);

  let fresh = page;
  if (offset > 0 && cursor?.lastKey) {
    const at = page.findIndex((o) => o.Key === cursor.lastKey);
    if (at === -1) {
      // More orders left the window than the overlap covers: read it again from the start.
      return { records: page.map(toRecord), nextCursor: { since, end, offset: 0 }, hasMore: true, restartedWindow: true };
    }
    fresh = page.slice(at + 1);
  }

  const records = fresh.map(toRecord);
  const full = page.length === pageSize;
  if (full) {
    const last = page[page.length - 1]!;
    return { records, nextCursor: { since, end, offset: start + page.length, lastKey: last.Key }, hasMore: true, restartedWindow: false };
  }
  // Window done. If it closed well behind the horizon (a catch-up), go on at once.
  return { records, nextCursor: { since: end + 1, offset: 0 }, hasMore: horizon - end > 60, restartedWindow: false };
}

/** Orders currently in one of the given statuses (for re-reading orders held back by an unmapped status). */
export async function fetchOrdersByStatus(ctx: ConnectorContext<UnasCredentials>, input: z.infer<typeof ordersByStatusInput>): Promise<UnasOrder[]> {
  const pageSize = input.pageSize ?? 500;
  const byKey = new Map<string, UnasOrder>();
  for (let start = 0; ; start += pageSize - 20) {
    const doc = await callUnas(
      ctx,
      'getOrder',
      { DateStart: toUnasDate(input.syncFrom), StatusName: input.statuses.join('|'), LimitNum: pageSize, ...(start > 0 ? { LimitStart: start } : {}) },
      ['orderQueriesPerHour'],
    );
    const page = parseOrders(doc);
    for (const o of page) byKey.set(o.Key, o);
    ctx.heartbeat({ fetched: byKey.size });
    if (page.length < pageSize) return [...byKey.values()];
  }
}

function toRecord(order: UnasOrder) {
  return { id: order.Key, dedupeKey: `${order.Key}@${order.DateMod ?? ''}`, data: order };
}
