import { defineConnector } from '../kit/types';
import { sumitCredentials, sumitLimitOverrides } from './auth';
import { createCustomer, updateCustomer } from './customers';
import { sumitTrigger } from './define';
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
    'create-customer': createCustomer,
    'update-customer': updateCustomer,
    'create-document': createDocument,
    'send-document': sendDocument,
    'send-sms': sendSms,
    'add-to-email-list': addToEmailList,
    'add-to-sms-list': addToSmsList,
    'list-folders': listFoldersAction,
  },
  triggers: {
    'entity-created': sumitTrigger({
      name: 'New entity in a folder',
      description: 'Entities created in a CRM folder (customers, documents, custom folders).',
      input: entityChangesInput,
      cursor: entityChangesCursor,
      poll: (ctx, input, cursor) => pollEntityChanges(ctx, 'created', input, cursor),
    }),
    'entity-updated': sumitTrigger({
      name: 'Changed entity in a folder',
      description: 'Entities of a CRM folder changed after their creation, once per change time.',
      input: entityChangesInput,
      cursor: entityChangesCursor,
      poll: (ctx, input, cursor) => pollEntityChanges(ctx, 'updated', input, cursor),
    }),
    'entity-removed': sumitTrigger({
      name: 'Archived or deleted entity',
      description: 'Entities that left a CRM folder, reported as archived (still retrievable) or deleted.',
      input: entityRemovalsInput,
      cursor: entityRemovalsCursor,
      poll: (ctx, input, cursor) => pollEntityRemovals(ctx, input, cursor),
    }),
  },
});
