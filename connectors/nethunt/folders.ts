import { z } from 'zod';
import { nethunt, parseAnswer, type NethuntCtx } from './client';
import { folder, folderField, type NethuntFolder } from './schema';

export const folderIdInput = z.object({
  folderId: z.string().min(1).describe('The NetHunt folder id (from the folder lists)'),
});

export async function listReadableFolders(ctx: NethuntCtx): Promise<NethuntFolder[]> {
  return parseAnswer(z.array(folder), await nethunt(ctx, 'GET', '/triggers/readable-folder'), 'readable folders');
}

/** Folders the user may create records in: a subset of the readable ones. */
export async function listWritableFolders(ctx: NethuntCtx): Promise<NethuntFolder[]> {
  return parseAnswer(z.array(folder), await nethunt(ctx, 'GET', '/triggers/writable-folder'), 'writable folders');
}

export async function listFolderFields(ctx: NethuntCtx, input: z.infer<typeof folderIdInput>): Promise<string[]> {
  const fields = parseAnswer(z.array(folderField), await nethunt(ctx, 'GET', `/triggers/folder-field/${encodeURIComponent(input.folderId)}`), 'folder fields');
  return fields.map((f) => f.name);
}
