import { randomUUID } from 'node:crypto';
import { TaskLedger } from '../activities/crm-automation/record-tasks';
import { ScenarioLedger, stepKey } from '../activities/scenario/ledger';
import { databaseBefore } from './support/migrations';

const LEDGER_VOCABULARY_MIGRATION = '0005_ledger_vocabulary';

/**
 * The upgrade to one word for "under way": a scenario step marked 'started' and a crm-automation
 * task whose creation was under way ('creating', stored as held) before it are both 'under-way'
 * after it, and the code of after the upgrade reads them as such (held in doubt, looked up before
 * a second task is created). Nothing else changes.
 */
describe('the ledger_vocabulary migration', () => {
  let db: Awaited<ReturnType<typeof databaseBefore>>;

  beforeAll(async () => {
    db = await databaseBefore(LEDGER_VOCABULARY_MIGRATION);
  });
  afterAll(() => db?.drop());

  it("turns 'started' steps and 'creating' tasks into 'under-way', and leaves the rest as they were", async () => {
    const { pool } = db.database;

    const account = randomUUID();
    await pool.query(
      "insert into accounts (id, system, name, base_url, credentials_key_id, credentials_data) values ($1, 'sumit', 'SUMIT', 'http://sumit.invalid', 'test', 'sealed')",
      [account],
    );
    const scenario = randomUUID();
    const crm = randomUUID();
    for (const [id, kind] of [
      [scenario, 'scenario'],
      [crm, 'crm-automation'],
    ]) {
      await pool.query('insert into integrations (id, kind, name, source_account_id, target_account_id, config) values ($1, $2, $2, $3, $3, $4)', [id, kind, account, '{}']);
    }
    const insert = (integrationId: string, sourceKey: string, action: string, state: string, detail: unknown, targetId: string | null = null) =>
      pool.query('insert into delivery_ledger (integration_id, source_key, action, state, target_id, detail, attempts) values ($1, $2, $3, $4, $5, $6, 3)', [
        integrationId,
        sourceKey,
        action,
        state,
        targetId,
        JSON.stringify(detail),
      ]);
    const task = (recordId: string, phase: string, taskId?: string) => ({ phase, automationId: 'vip', recordId, title: `Call ${recordId}`, text: '', episode: 1, ...(taskId && { taskId }) });

    await insert(scenario, 'created:1', '1:create-document', 'started', { record: { id: 1 } });
    await insert(scenario, 'created:2', '0:create-customer', 'done', { output: { id: 'c2' } });
    await insert(scenario, 'created:3', '1:create-document', 'held', { record: { id: 3 }, reason: 'refused', release: false });
    await insert(crm, 'vip:r1', 'worksection-task', 'held', task('r1', 'creating'));
    await insert(crm, 'vip:r2', 'worksection-task', 'held', task('r2', 'waiting'));
    await insert(crm, 'vip:r3', 'worksection-task', 'done', task('r3', 'open', 't3'), 't3');

    await db.upgrade();

    const rows = await pool.query<{ source_key: string; state: string; detail: { phase?: string }; attempts: number }>('select source_key, state, detail, attempts from delivery_ledger');
    const after = Object.fromEntries(rows.rows.map((r) => [r.source_key, { state: r.state, phase: r.detail.phase, attempts: r.attempts }]));
    expect(after).toEqual({
      'created:1': { state: 'under-way', phase: undefined, attempts: 3 },
      'created:2': { state: 'done', phase: undefined, attempts: 3 },
      'created:3': { state: 'held', phase: undefined, attempts: 3 },
      'vip:r1': { state: 'under-way', phase: 'under-way', attempts: 3 },
      'vip:r2': { state: 'held', phase: 'waiting', attempts: 3 },
      'vip:r3': { state: 'done', phase: 'open', attempts: 3 },
    });
    // The rest of the detail is untouched.
    const r1 = await pool.query<{ detail: unknown }>("select detail from delivery_ledger where source_key = 'vip:r1'");
    expect(r1.rows[0]?.detail).toEqual(task('r1', 'under-way'));

    // What the upgraded activities make of them: a step under way (held in doubt when met), a task whose creation may have happened.
    const steps = await new ScenarioLedger(db.database, scenario).steps(['created:1', 'created:2', 'created:3']);
    expect([...steps.values()].map((s) => [s.sourceKey, s.state])).toEqual(
      expect.arrayContaining([
        ['created:1', 'under-way'],
        ['created:2', 'done'],
        ['created:3', 'held'],
      ]),
    );
    const tasks = await new TaskLedger(db.database, crm).load('vip', ['r1', 'r2', 'r3']);
    expect(Object.fromEntries([...tasks.values()].map((t) => [t.recordId, t.phase]))).toEqual({ r1: 'under-way', r2: 'waiting', r3: 'open' });

    // A worker from before the upgrade, still running beside the new code, writes the old words: they read as under way.
    await insert(scenario, 'created:4', '1:create-document', 'started', { record: { id: 4 } });
    await insert(crm, 'vip:r4', 'worksection-task', 'held', task('r4', 'creating'));
    expect((await new ScenarioLedger(db.database, scenario).steps(['created:4'])).get(stepKey('created:4', '1:create-document'))?.state).toBe('under-way');
    expect((await new TaskLedger(db.database, crm).load('vip', ['r4'])).get('r4')?.phase).toBe('under-way');
  });
});
