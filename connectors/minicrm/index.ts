import { defineConnector } from '../kit/types';
import { minicrmCredentials, minicrmLimitOverrides } from './auth';
import { listCategories } from './schema';

const MINUTE = 60 * 1000;

export const minicrm = defineConnector({
  id: 'minicrm',
  name: 'MiniCRM',
  functionalities: ['crm', 'orders'],
  defaultBaseUrl: 'https://r3.minicrm.hu',
  auth: { type: 'basic', schema: minicrmCredentials, secretFields: ['apiKey'] },
  limits: {
    requestsPerMinute: { limit: 60, windowMs: MINUTE, description: 'MiniCRM R3 API requests per minute' },
    syncUploadsPerHour: { limit: 180, windowMs: 60 * MINUTE, description: 'MiniCRM XML sync uploads per hour' },
  },
  limitOverrides: minicrmLimitOverrides,
  async check(ctx) {
    const modules = await listCategories(ctx);
    return { details: { modules } };
  },
  actions: {},
  triggers: {},
});
