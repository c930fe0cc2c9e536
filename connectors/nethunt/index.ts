import { defineAction, defineTrigger } from '../kit/define-action';
import { withLookback } from '../kit/sample';
import { defineConnector } from '../kit/types';
import { nethuntLookups } from './lookups';
import { nethuntCredentials, nethuntLimitOverrides } from './auth';
import type { NethuntCtx } from './client';
import { folderIdInput, listFolderFields, listReadableFolders, listWritableFolders } from './folders';
import { createRecord, createRecordInput, findRecords, findRecordsInput, updateRecord, updateRecordInput } from './records';
import { sinceCursor } from './since-poll';
import { newRecordsInput, pollNewRecords, pollRecordChanges, pollUpdatedRecords, recordChangesInput, updatedRecordsInput } from './triggers';
import { z } from 'zod';

const noInput = z.object({});

export const nethunt = defineConnector({
  id: 'nethunt',
  name: 'NetHunt CRM',
  functionalities: ['crm'],
  defaultBaseUrl: 'https://nethunt.com/api/v1/zapier',
  hosts: ['nethunt.com'],
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
    'list-readable-folders': defineAction('nethunt', {
      repeats: 'safe',
      name: 'List readable folders',
      description: 'Folders the user can read records from.',
      input: noInput,
      run: (ctx: NethuntCtx) => listReadableFolders(ctx),
    }),
    'list-writable-folders': defineAction('nethunt', {
      repeats: 'safe',
      name: 'List writable folders',
      description: 'Folders the user can create records in.',
      input: noInput,
      run: (ctx: NethuntCtx) => listWritableFolders(ctx),
    }),
    'list-folder-fields': defineAction('nethunt', {
      repeats: 'safe',
      name: 'List folder fields',
      description: "The names of a folder's fields, as records and actions use them.",
      input: folderIdInput,
      run: listFolderFields,
    }),
    'find-records': defineAction('nethunt', {
      repeats: 'safe',
      name: 'Find records',
      description: 'Records of a folder by id or by a NetHunt search query.',
      input: findRecordsInput,
      run: findRecords,
    }),
    'create-record': defineAction('nethunt', {
      name: 'Create record',
      description: 'Creates a record in a writable folder from field values keyed by field name.',
      input: createRecordInput,
      run: createRecord,
    }),
    'update-record': defineAction('nethunt', {
      repeats: 'safe',
      name: 'Update record',
      description: "Changes a record's fields: overwrite, add to or remove from each.",
      input: updateRecordInput,
      run: updateRecord,
    }),
  },
  triggers: {
    'new-records': withLookback(
      defineTrigger('nethunt', {
        name: 'New record',
        description: 'Records created in a folder since the last poll, oldest first.',
        input: newRecordsInput,
        cursor: sinceCursor,
        poll: pollNewRecords,
        startsNow: (input) => input.startAt === undefined,
      }),
      (input, startAt) => ({ ...input, startAt }),
    ),
    'updated-records': withLookback(
      defineTrigger('nethunt', {
        name: 'Updated record',
        description: 'Records of a folder updated since the last poll (optionally only updates of some fields), with their current values.',
        input: updatedRecordsInput,
        cursor: sinceCursor,
        poll: pollUpdatedRecords,
        startsNow: (input) => input.startAt === undefined,
      }),
      (input, startAt) => ({ ...input, startAt }),
    ),
    'record-changes': defineTrigger('nethunt', {
      name: 'Record field changed',
      description: 'Field-level changes in a folder since the last poll (optionally of one record or some fields), oldest first.',
      input: recordChangesInput,
      cursor: sinceCursor,
      poll: pollRecordChanges,
      startsNow: (input) => input.startAt === undefined,
    }),
  },
  lookups: nethuntLookups,
});
