import { randomUUID } from 'node:crypto';
import { databaseBefore } from './support/migrations';

const RUNS_AFTER_MIGRATION = '0003_runs_after';

/**
 * The upgrade that made "run after X" a column: integrations saved before it, with only
 * config.schedule.after, keep running after their upstream because the migration fills
 * runs_after from the config.
 */
describe('the runs_after migration', () => {
  let db: Awaited<ReturnType<typeof databaseBefore>>;

  beforeAll(async () => {
    db = await databaseBefore(RUNS_AFTER_MIGRATION);
  });
  afterAll(() => db?.drop());

  it('fills runs_after from config.schedule.after when that integration exists, and leaves the rest NULL', async () => {
    const { pool } = db.database;
    const before = await pool.query<{ column_name: string }>("select column_name from information_schema.columns where table_name = 'integrations' and column_name = 'runs_after'");
    expect(before.rows).toHaveLength(0);

    const account = randomUUID();
    await pool.query(
      "insert into accounts (id, system, name, base_url, credentials_key_id, credentials_data) values ($1, 'google-sheets', 'Sheets', 'http://sheets.invalid', 'test', 'sealed')",
      [account],
    );
    const insert = (id: string, kind: string, config: unknown) =>
      pool.query('insert into integrations (id, kind, name, source_account_id, target_account_id, config) values ($1, $2, $3, $4, $4, $5)', [id, kind, `${kind} ${id}`, account, JSON.stringify(config)]);
    const upstream = randomUUID();
    const dependent = randomUUID();
    const orphan = randomUUID();
    const interval = randomUUID();
    const other = randomUUID();
    // The dependent is saved before its upstream's row in the table: order must not matter.
    await insert(dependent, 'sms-send', { schedule: { after: upstream } });
    await insert(upstream, 'order-sync', {});
    await insert(orphan, 'sms-send', { schedule: { after: randomUUID() } });
    await insert(interval, 'sms-send', { schedule: { every: 5 } });
    // No other kind declares runsAfter: a look-alike field elsewhere is not a relation.
    await insert(other, 'scenario', { schedule: { after: upstream } });

    await db.upgrade();

    const rows = await pool.query<{ id: string; runs_after: string | null }>('select id, runs_after from integrations');
    const runsAfter = Object.fromEntries(rows.rows.map((r) => [r.id, r.runs_after]));
    expect(runsAfter).toEqual({ [dependent]: upstream, [upstream]: null, [orphan]: null, [interval]: null, [other]: null });

    // Deleting the upstream stays possible; the dependent stays, no longer tied to it.
    await pool.query('delete from integrations where id = $1', [upstream]);
    const after = await pool.query<{ runs_after: string | null }>('select runs_after from integrations where id = $1', [dependent]);
    expect(after.rows).toEqual([{ runs_after: null }]);
  });
});
