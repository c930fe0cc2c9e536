import { defineTrigger } from '../kit/define-action';
import { withLookback } from '../kit/sample';
import { defineConnector } from '../kit/types';
import { sumitCredentials, sumitLimitOverrides } from './auth';
import type { SumitContext } from './client';
import { createCustomer, updateCustomer } from './customers';
import { createDocument, sendDocument } from './documents';
import { entityChangesCursor, entityChangesInput, pollEntityChanges } from './entity-changes';
import { entityRemovalsCursor, entityRemovalsInput, pollEntityRemovals } from './entity-removals';
import { listFolders, listFoldersAction } from './folders';
import { addToEmailList, addToSmsList, sendSms } from './messaging';

export const sumit = defineConnector({
  id: 'sumit',
  name: 'SUMIT',
  functionalities: ['documents', 'crm', 'sms', 'mailing-list'],
  defaultBaseUrl: 'https://api.sumit.co.il',
  hosts: ['api.sumit.co.il'],
  // Credentials travel in each JSON body, not in a header.
  auth: { type: 'body-credentials', schema: sumitCredentials, secretFields: ['apiKey'] },
  limits: {
    // [3P] "about 100 calls a minute; more gets the account temporarily blocked".
    requestsPerMinute: { limit: 100, windowMs: 60_000, description: 'SUMIT API calls per minute' },
  },
  limitOverrides: sumitLimitOverrides,
  async check(ctx) {
    const folders = await listFolders(ctx);
    return { details: { folders: folders.length } };
  },
  actions: {
    'create-customer': { ...createCustomer, functionality: 'crm', repeats: { key: 'idempotencyKey' } },
    'update-customer': { ...updateCustomer, functionality: 'crm', repeats: 'safe' },
    'create-document': { ...createDocument, functionality: 'documents' },
    'send-document': { ...sendDocument, functionality: 'documents' },
    'send-sms': { ...sendSms, functionality: 'sms' },
    'add-to-email-list': { ...addToEmailList, functionality: 'mailing-list', repeats: 'safe' },
    'add-to-sms-list': { ...addToSmsList, functionality: 'mailing-list', repeats: 'safe' },
    'list-folders': { ...listFoldersAction, functionality: 'crm', repeats: 'safe' },
  },
  triggers: {
    'entity-created': withLookback(
      defineTrigger('sumit', {
        functionality: 'crm',
        name: 'New entity in a folder',
        description: 'Entities created in a CRM folder (customers, documents, custom folders).',
        input: entityChangesInput,
        cursor: entityChangesCursor,
        poll: (ctx: SumitContext, input, cursor) => pollEntityChanges(ctx, 'created', input, cursor),
        startsNow: (input) => input.startFrom === undefined,
      }),
      // A pass reads the folder newest first (entity-changes.ts).
      (input, startFrom) => ({ ...input, startFrom, safetyLagSeconds: 0 }),
      'newest-first',
    ),
    'entity-updated': withLookback(
      defineTrigger('sumit', {
        functionality: 'crm',
        name: 'Changed entity in a folder',
        description: 'Entities of a CRM folder changed after their creation, once per change time.',
        input: entityChangesInput,
        cursor: entityChangesCursor,
        poll: (ctx: SumitContext, input, cursor) => pollEntityChanges(ctx, 'updated', input, cursor),
        startsNow: (input) => input.startFrom === undefined,
      }),
      // A pass reads the folder newest first (entity-changes.ts).
      (input, startFrom) => ({ ...input, startFrom, safetyLagSeconds: 0 }),
      'newest-first',
    ),
    'entity-removed': defineTrigger('sumit', {
      functionality: 'crm',
      name: 'Archived or deleted entity',
      description: 'Entities that left a CRM folder, reported as archived (still retrievable) or deleted.',
      input: entityRemovalsInput,
      cursor: entityRemovalsCursor,
      poll: (ctx: SumitContext, input, cursor) => pollEntityRemovals(ctx, input, cursor),
      // The first poll takes the folder's ids as they are: only what leaves it afterwards is reported.
      startsNow: () => true,
    }),
  },
  lookups: {},
});
