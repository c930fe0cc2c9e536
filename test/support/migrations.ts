import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { MIGRATIONS_FOLDER } from '../../db/client';

const journal = z.looseObject({ entries: z.array(z.looseObject({ tag: z.string() })) });

/**
 * A copy of the checked-in migrations that stops before `tag`: the database is brought to where a
 * deployed one stood before that migration, with the real migrator, so the rest applies as it
 * would on upgrade.
 */
export function migrationsBefore(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  fs.cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const file = path.join(dir, 'meta', '_journal.json');
  const parsed = journal.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const at = parsed.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag} in ${MIGRATIONS_FOLDER}`);
  fs.writeFileSync(file, JSON.stringify({ ...parsed, entries: parsed.entries.slice(0, at) }));
  return dir;
}
