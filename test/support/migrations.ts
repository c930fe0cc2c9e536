import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { z } from 'zod';
import { migrateDatabase, MIGRATIONS_FOLDER } from '../../db/client';
import { createTestDatabase } from './database';

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

/**
 * A new test database brought to where a deployed one stood before `tag`, by the real migrator;
 * `upgrade()` then runs the service's own migration at start, as an upgrade would.
 */
export async function databaseBefore(tag: string) {
  const db = await createTestDatabase({ migrate: false });
  const folder = migrationsBefore(tag);
  try {
    await migrate(db.database.db, { migrationsFolder: folder });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return { ...db, upgrade: () => migrateDatabase(db.database) };
}
