import { z } from 'zod';
import { defineConnector } from '../kit/types';
import { unasCredentials, unasLimitOverrides } from './auth';
import { login } from './client';
import { orderCursor, pollChangedOrders } from './orders';

const changedOrdersInput = z.object({ syncFrom: z.iso.date() });

const HOUR = 60 * 60 * 1000;

export const unas = defineConnector({
  id: 'unas',
  name: 'UNAS',
  functionalities: ['orders'],
  defaultBaseUrl: 'https://api.unas.eu/shop',
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
  actions: {},
  triggers: {
    'changed-orders': {
      name: 'New or changed order',
      description: 'Orders placed on or after a date, changed since the last poll.',
      input: changedOrdersInput,
      poll: (ctx, input, cursor) => pollChangedOrders(ctx, changedOrdersInput.parse(input), cursor === undefined ? undefined : orderCursor.parse(cursor)),
    },
  },
});
