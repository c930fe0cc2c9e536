import { z } from 'zod';
import { defineAction } from '../kit/define-action';
import { defineConnector, type ConnectorContext } from '../kit/types';
import { minicrmCredentials, minicrmLimitOverrides, type MiniCrmCredentials } from './auth';
import { minicrmLookups } from './lookups';
import { listCategories, projectSchema, projectSchemaInput } from './schema';
import { syncProjects, syncProjectsInput } from './sync';

const MINUTE = 60 * 1000;

export const minicrm = defineConnector({
  id: 'minicrm',
  name: 'MiniCRM',
  functionalities: ['crm', 'orders'],
  defaultBaseUrl: 'https://r3.minicrm.hu',
  // The manual's examples also use r3.minicrm.io and a test host.
  hosts: ['r3.minicrm.hu', 'r3.minicrm.io', 'r3-test.minicrm.eu'],
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
  actions: {
    'list-modules': defineAction('minicrm', {
      functionality: 'crm',
      repeats: 'safe',
      name: 'List modules',
      description: 'The modules (categories) of the account, id → name.',
      input: z.object({}),
      run: (ctx: ConnectorContext<MiniCrmCredentials>) => listCategories(ctx),
    }),
    'get-module-schema': defineAction('minicrm', {
      functionality: 'crm',
      repeats: 'safe',
      name: 'Get module schema',
      description: "A module's card fields, and the options of its status and owner dropdowns (id → label).",
      input: projectSchemaInput,
      run: projectSchema,
    }),
    'sync-projects': defineAction('minicrm', {
      functionality: 'crm',
      // Every card is matched by its external id (required by the input), and so are the contacts,
      // orders and products in it ([I] as the XML sync is documented by third parties and modelled
      // by our fake): a repeat writes the same values onto the same cards and creates none. That is
      // why write-orders.ts records an order in its ledger only after the upload and keeps no
      // under-way mark: a page repeated after a crash uploads its orders again, harmlessly.
      repeats: 'safe',
      name: 'Upsert cards (XML sync)',
      description: 'Creates or updates cards, with their contacts and orders, by external id, in one XML sync upload (counted against the hourly upload limit).',
      input: syncProjectsInput,
      run: syncProjects,
    }),
  },
  triggers: {},
  lookups: minicrmLookups,
});
