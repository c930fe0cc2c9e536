import { z } from 'zod';
import { defineLookup } from '../kit/define-action';
import type { ConnectorContext, LookupItem } from '../kit/types';
import type { UnasCredentials } from './auth';
import { callUnas } from './client';
import { parseOrders } from './orders';

const DAY_SECONDS = 86_400;

/**
 * UNAS documents no call that lists a shop's order statuses, so the list is the statuses its
 * orders changed in lately carry: a status no order has reached in that time is not offered.
 * One multi-order query (30 an hour on PREMIUM), hence the short cache in front of lookups.
 */
async function orderStatuses(ctx: ConnectorContext<UnasCredentials>, input: { days: number }): Promise<LookupItem[]> {
  const since = Math.floor(Date.now() / 1000) - input.days * DAY_SECONDS;
  const orders = parseOrders(await callUnas(ctx, 'getOrder', { TimeModStart: since, LimitNum: 500 }, ['orderQueriesPerHour']));
  const seen = new Map<string, LookupItem & { orders: number }>();
  for (const o of orders) {
    if (!o.Status) continue;
    const item = seen.get(o.Status) ?? { value: o.Status, label: o.Status, ...(o.StatusID && { id: o.StatusID }), orders: 0 };
    item.orders += 1;
    seen.set(o.Status, item);
  }
  return [...seen.values()].sort((a, b) => b.orders - a.orders || a.label.localeCompare(b.label));
}

export const unasLookups = {
  'order-statuses': defineLookup('unas', {
    name: 'Order statuses',
    description: 'Statuses of the orders changed in the last `days` days (UNAS has no status list); value is the status name a status map uses.',
    input: z.object({ days: z.coerce.number('a number of days').int().min(1).max(365).default(90).describe('How far back to look at orders (default 90)') }),
    run: orderStatuses,
  }),
};
