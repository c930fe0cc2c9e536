import { defineConnector } from '../kit/types';
import { nethuntCredentials, nethuntLimitOverrides } from './auth';
import { folderIdInput, listFolderFields, listReadableFolders, listWritableFolders } from './folders';
import { createRecord, createRecordInput, findRecords, findRecordsInput, updateRecord, updateRecordInput } from './records';
import { sinceCursor } from './since-poll';
import { newRecordsInput, pollNewRecords, pollRecordChanges, pollUpdatedRecords, recordChangesInput, updatedRecordsInput } from './triggers';
import { z } from 'zod';

const noInput = z.object({});
const cursorOf = (cursor: unknown) => (cursor === undefined ? undefined : sinceCursor.parse(cursor));

export const nethunt = defineConnector({
  id: 'nethunt',
  name: 'NetHunt CRM',
  functionalities: ['crm'],
  defaultBaseUrl: 'https://nethunt.com/api/v1/zapier',
  auth: { type: 'basic', schema: nethuntCredentials, secretFields: ['apiKey'] },
  limits: {
    // NetHunt documents no limit; this guard keeps many integrations of one account polite.
    requestsPerMinute: { limit: 120, windowMs: 60_000, description: 'NetHunt API calls per minute (undocumented; a guard)' },
  },
  limitOverrides: nethuntLimitOverrides,
  async check(ctx) {
    // The readable-folder list is the cheapest documented call that needs valid credentials.
    const folders = await listReadableFolders(ctx);
    return { details: { readableFolders: folders.length } };
  },
  actions: {
    'list-readable-folders': {
      repeats: 'safe',
      name: 'List readable folders',
      description: 'Folders the user can read records from.',
      input: noInput,
      run: (ctx) => listReadableFolders(ctx),
    },
    'list-writable-folders': {
      repeats: 'safe',
      name: 'List writable folders',
      description: 'Folders the user can create records in.',
      input: noInput,
      run: (ctx) => listWritableFolders(ctx),
    },
    'list-folder-fields': {
      repeats: 'safe',
      name: 'List folder fields',
      description: "The names of a folder's fields, as records and actions use them.",
      input: folderIdInput,
      run: (ctx, input) => listFolderFields(ctx, folderIdInput.parse(input)),
    },
    'find-records': {
      repeats: 'safe',
      name: 'Find records',
      description: 'Records of a folder by id or by a NetHunt search query.',
      input: findRecordsInput,
      run: (ctx, input) => findRecords(ctx, findRecordsInput.parse(input)),
    },
    'create-record': {
      name: 'Create record',
      description: 'Creates a record in a writable folder from field values keyed by field name.',
      input: createRecordInput,
      run: (ctx, input) => createRecord(ctx, createRecordInput.parse(input)),
    },
    'update-record': {
      repeats: 'safe',
      name: 'Update record',
      description: "Changes a record's fields: overwrite, add to or remove from each.",
      input: updateRecordInput,
      run: (ctx, input) => updateRecord(ctx, updateRecordInput.parse(input)),
    },
  },
  triggers: {
    'new-records': {
      name: 'New record',
      description: 'Records created in a folder since the last poll, oldest first.',
      input: newRecordsInput,
      poll: (ctx, input, cursor) => pollNewRecords(ctx, newRecordsInput.parse(input), cursorOf(cursor)),
    },
    'updated-records': {
      name: 'Updated record',
      description: 'Records of a folder updated since the last poll (optionally only updates of some fields), with their current values.',
      input: updatedRecordsInput,
      poll: (ctx, input, cursor) => pollUpdatedRecords(ctx, updatedRecordsInput.parse(input), cursorOf(cursor)),
    },
    'record-changes': {
      name: 'Record field changed',
      description: 'Field-level changes in a folder since the last poll (optionally of one record or some fields), oldest first.',
      input: recordChangesInput,
      poll: (ctx, input, cursor) => pollRecordChanges(ctx, recordChangesInput.parse(input), cursorOf(cursor)),
    },
  },
});
