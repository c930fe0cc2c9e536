import { z } from 'zod';
import { defineLookup } from '../kit/define-action';
import type { NethuntCtx } from './client';
import { folderIdInput, listFolderFields, listReadableFolders, listWritableFolders } from './folders';

export const nethuntLookups = {
  folders: defineLookup('nethunt', {
    name: 'Folders',
    description: 'Folders the user can read; `writable` says whether records can be created and written back there.',
    input: z.object({}),
    run: async (ctx: NethuntCtx) => {
      const [readable, writable] = [await listReadableFolders(ctx), await listWritableFolders(ctx)];
      const canWrite = new Set(writable.map((f) => f.id));
      return readable.map((f) => ({ value: f.id, label: f.name, writable: canWrite.has(f.id) }));
    },
  }),
  fields: defineLookup('nethunt', {
    name: 'Folder fields',
    description: "A folder's fields, by the names records and actions use.",
    input: folderIdInput,
    run: async (ctx: NethuntCtx, input) => (await listFolderFields(ctx, input)).map((name) => ({ value: name, label: name })),
  }),
};
