import { defineAction, defineTrigger } from '../kit/define-action';
import { defineConnector } from '../kit/types';
import { unasLookups } from './lookups';
import { unasCredentials, unasLimitOverrides } from './auth';
import { login } from './client';
import { changedOrdersInput, fetchOrdersByStatus, orderCursor, ordersByStatusInput, pollChangedOrders } from './orders';

const HOUR = 60 * 60 * 1000;

export const unas = defineConnector({
  id: 'unas',
  name: 'UNAS',
  functionalities: ['orders'],
  defaultBaseUrl: 'https://api.unas.eu/shop',
  hosts: ['api.unas.eu'],
  auth: { type: 'api-key', schema: unasCredentials, secretFields: ['apiKey'] },
  // PREMIUM plan figures; VIP accounts raise them through the account's `limits`.
  limits: {
    callsPerHour: { limit: 2000, windowMs: HOUR, description: 'UNAS calls per hour' },
    orderQueriesPerHour: { limit: 30, windowMs: HOUR, description: 'UNAS multi-order getOrder queries per hour' },
  },
  limitOverrides: unasLimitOverrides,
  async check(ctx) {
    const { shopId, permissions } = await login(ctx);
    return { details: { shopId, permissions } };
  },
  actions: {
    'orders-by-status': defineAction('unas', {
      repeats: 'safe',
      name: 'Orders by status',
      description: 'Orders placed on or after a date that are now in one of the given statuses.',
      input: ordersByStatusInput,
      run: fetchOrdersByStatus,
    }),
  },
  triggers: {
    'changed-orders': defineTrigger('unas', {
      name: 'New or changed order',
      description: 'Orders placed on or after a date, changed since the last poll.',
      input: changedOrdersInput,
      cursor: orderCursor,
      poll: pollChangedOrders,
    }),
  },
  lookups: unasLookups,
});
