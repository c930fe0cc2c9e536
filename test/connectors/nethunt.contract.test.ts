import { type ConnectorError } from '../../connectors/kit/errors';
import type { ConnectorContext } from '../../connectors/kit/types';
import { nethunt } from '../../connectors/nethunt';
import type { NethuntCredentials } from '../../connectors/nethunt/auth';
import type { SinceCursor } from '../../connectors/nethunt/since-poll';
import { json } from '../fakes/fake-server';
import { NethuntFake } from '../fakes/nethunt-fake';
import { connectorFailure, connectorTestbed, drainTrigger } from '../support/connector-context';

const LEADS = '596f644b8f6d05e16c24b810';
const READ_ONLY = '596f644b8f6d05e16c24b812';
const KEY = 'nethunt-test-key-0001';
const creds = { email: 'owner@example.com', apiKey: KEY };

/** Every error the tests saw, to prove none carried the secret. */
const errors: ConnectorError[] = [];

const failure = (p: Promise<unknown>) => connectorFailure(p).then((e) => (errors.push(e), e));

type Ctx = ConnectorContext<NethuntCredentials>;

const drain = (ctx: Ctx, trigger: string, input: Record<string, unknown>, cursor: SinceCursor | undefined) => drainTrigger<unknown, SinceCursor>(nethunt.triggers[trigger]!, ctx, input, cursor);

describe('NetHunt connector against its fake', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: NethuntFake;
  let ctx: Ctx;

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(async () => {
    for (const e of errors) expect(e.message).not.toContain(KEY);
    await bed.close();
  });
  beforeEach(async () => {
    fake = new NethuntFake();
    await fake.start();
    ctx = bed.context(nethunt, fake.baseUrl, creds);
  });
  afterEach(() => fake.close());

  it('checks good credentials and refuses bad ones at once, with the provider message and no secret', async () => {
    const ok = await nethunt.check(ctx);
    expect(ok.details).toEqual({ readableFolders: 3 });
    const err = await failure(nethunt.check(bed.context(nethunt, fake.baseUrl, { ...creds, apiKey: 'wrong-key-123456' })));
    expect(err.kind).toBe('auth');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/wrong e-mail or API key/);
    expect(err.message).not.toContain('wrong-key-123456');
    expect(fake.calls).toHaveLength(2);
  });

  it('lists readable and writable folders and a folder’s fields', async () => {
    const readable = (await nethunt.actions['list-readable-folders'].run(ctx, {})) as { id: string }[];
    const writable = (await nethunt.actions['list-writable-folders'].run(ctx, {})) as { id: string }[];
    expect(readable.map((f) => f.id)).toContain(READ_ONLY);
    expect(writable.map((f) => f.id)).not.toContain(READ_ONLY);
    expect(await nethunt.actions['list-folder-fields'].run(ctx, { folderId: LEADS })).toEqual(fake.folders()[0]!.fields);
    const missing = await failure(nethunt.actions['list-folder-fields'].run(ctx, { folderId: 'nope' }));
    expect(missing.kind).toBe('not-found');
  });

  it('creates, finds and updates records (overwrite, add, remove) in NetHunt’s state', async () => {
    const created = (await nethunt.actions['create-record'].run(ctx, {
      folderId: LEADS,
      fields: { Name: 'Acme deal', 'Primary Email Address': 'buyer@acme.test', Tags: ['hot'] },
    })) as { id: string };
    expect(fake.recordById(created.id)?.fields).toEqual({ Name: 'Acme deal', 'Primary Email Address': 'buyer@acme.test', Tags: ['hot'] });
    expect(JSON.parse(fake.calls.at(-1)!.body)).toMatchObject({ timeZone: 'UTC' });

    await nethunt.actions['update-record'].run(ctx, {
      recordId: created.id,
      fieldActions: { Stage: { overwrite: true, add: 'Won' }, Tags: { add: 'vip' }, 'Primary Email Address': { remove: 'buyer@acme.test' } },
    });
    expect(fake.recordById(created.id)?.fields).toEqual({ Name: 'Acme deal', Stage: 'Won', Tags: ['hot', 'vip'] });
    await nethunt.actions['update-record'].run(ctx, { recordId: created.id, fieldActions: { Tags: { add: ['cold'] } }, overwrite: true });
    expect(fake.recordById(created.id)?.fields.Tags).toEqual(['cold']);

    const byId = (await nethunt.actions['find-records'].run(ctx, { folderId: LEADS, recordId: created.id })) as { id: string }[];
    expect(byId.map((r) => r.id)).toEqual([created.id]);
    fake.addRecord(LEADS, { Name: 'Other', Stage: 'New' });
    const byQuery = (await nethunt.actions['find-records'].run(ctx, { folderId: LEADS, query: 'Stage:(Won OR Negotiating)', limit: 10 })) as { id: string }[];
    expect(byQuery.map((r) => r.id)).toEqual([created.id]);

    const badField = await failure(nethunt.actions['update-record'].run(ctx, { recordId: created.id, fieldActions: { Colour: { add: 'red' } } }));
    expect(badField.kind).toBe('validation');
    expect(badField.message).toMatch(/Unknown field: Colour/);
    const readOnly = await failure(nethunt.actions['create-record'].run(ctx, { folderId: READ_ONLY, fields: { Name: 'x' } }));
    expect(readOnly.kind).toBe('validation');
    expect(fake.records(READ_ONLY)).toHaveLength(0);
    const gone = await failure(nethunt.actions['update-record'].run(ctx, { recordId: '65f000000000000000000fff', fieldActions: { Stage: { add: 'x' } } }));
    expect(gone.kind).toBe('not-found');
  });

  it.each(['newest-first', 'oldest-first'] as const)('hands out every new record of a same-millisecond burst bigger than a page (%s answers)', async (order) => {
    fake.order = order;
    const first = await nethunt.triggers['new-records'].poll(ctx, { folderId: LEADS }, undefined);
    expect(first.records).toEqual([]);
    const t = Date.now() + 5;
    const burst = fake.addRecords(LEADS, 250, t);
    const later = Array.from({ length: 30 }, (_, i) => fake.addRecord(LEADS, { Name: `Later ${i}` }, t + 1 + (i % 3)));
    const { records, cursor, polls } = await drain(ctx, 'new-records', { folderId: LEADS, pageSize: 100 }, first.nextCursor);
    expect(records.map((r) => r.id)).toEqual([...burst, ...later].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)).map((r) => r.id));
    expect(polls).toBeGreaterThanOrEqual(3);
    // A record arriving later at the same instant as the last one handed out is not skipped.
    const late = fake.addRecord(LEADS, { Name: 'Same instant' }, cursor.time);
    const again = await drain(ctx, 'new-records', { folderId: LEADS, pageSize: 100 }, cursor);
    expect(again.records.map((r) => r.id)).toEqual([late.id]);
  });

  it('starts from startAt on a first poll and refuses to skip records when a burst exceeds maxFetch', async () => {
    const t = Date.now() - 60_000;
    const old = fake.addRecord(LEADS, { Name: 'Before' }, t - 1000);
    const kept = fake.addRecords(LEADS, 40, t);
    const fromStart = await drain(ctx, 'new-records', { folderId: LEADS, startAt: new Date(t).toISOString() }, undefined);
    expect(fromStart.records.map((r) => r.id)).toEqual(kept.map((r) => r.id));
    expect(fromStart.records.map((r) => r.id)).not.toContain(old.id);

    fake.addRecords(LEADS, 30, t + 10);
    const err = await failure(nethunt.triggers['new-records'].poll(ctx, { folderId: LEADS, pageSize: 10, maxFetch: 20 }, fromStart.cursor));
    expect(err.kind).toBe('validation');
    expect(err.message).toMatch(/raise maxFetch/);
  });

  it('hands out updated records touching the watched fields, once per version', async () => {
    const a = fake.addRecord(LEADS, { Name: 'A' });
    const b = fake.addRecord(LEADS, { Name: 'B' });
    const first = await nethunt.triggers['updated-records'].poll(ctx, { folderId: LEADS, fieldNames: ['Stage'] }, undefined);
    const t = Date.now() + 5;
    fake.editRecord(a.id, { Stage: 'Won' }, t);
    fake.editRecord(b.id, { Name: 'B renamed' }, t);
    const one = await drain(ctx, 'updated-records', { folderId: LEADS, fieldNames: ['Stage'] }, first.nextCursor);
    expect(one.records.map((r) => r.id)).toEqual([a.id]);
    expect(one.records[0]!.data).toMatchObject({ fields: { Stage: 'Won' } });
    fake.editRecord(a.id, { Stage: 'Lost' }, t + 10);
    const two = await drain(ctx, 'updated-records', { folderId: LEADS, fieldNames: ['Stage'] }, one.cursor);
    expect(two.records.map((r) => r.id)).toEqual([a.id]);
    expect(two.records[0]!.dedupeKey).not.toBe(one.records[0]!.dedupeKey);
  });

  it('hands out field-level changes of the watched field across pages, equal times included', async () => {
    const first = await nethunt.triggers['record-changes'].poll(ctx, { folderId: LEADS, fieldNames: ['Task link'] }, undefined);
    const t = Date.now() + 5;
    const recs = fake.addRecords(LEADS, 45, t - 1);
    for (const r of recs) fake.editRecord(r.id, { 'Task link': `https://tasks.example/${r.id}` }, t);
    fake.editRecord(recs[0]!.id, { Stage: 'Ignored' }, t + 1);
    const { records } = await drain(ctx, 'record-changes', { folderId: LEADS, fieldNames: ['Task link'], pageSize: 20 }, first.nextCursor);
    expect(records).toHaveLength(45);
    expect(new Set(records.map((r) => (r.data as { recordId: string }).recordId))).toEqual(new Set(recs.map((r) => r.id)));
    expect(records[0]!.data).toMatchObject({ changedFields: ['Task link'], recordAction: 'UPDATE' });
  });

  it('honours 429 with the asked wait, and turns 5xx, timeouts and unreadable answers into retryable errors', async () => {
    fake.faults = { failRate: 1, statuses: [429] };
    const limited = await failure(nethunt.check(ctx));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.details.retryAfterMs).toBe(30_000);

    fake.faults = { failRate: 1, statuses: [503] };
    const down = await failure(nethunt.check(ctx));
    expect(down.kind).toBe('transient');
    expect(down.retryable).toBe(true);

    fake.faults = { failRate: 0, timeoutRate: 1 };
    const slow = await failure(nethunt.check(bed.context(nethunt, fake.baseUrl, creds, { timeoutMs: 300 })));
    expect(slow.kind).toBe('transient');

    fake.faults = { failRate: 0 };
    fake.scriptNext({ status: 200, headers: { 'content-type': 'application/json' }, body: '[{"id": "5' });
    const garbled = await failure(nethunt.check(ctx));
    expect(garbled.kind).toBe('transient');
    fake.scriptNext(json(200, { folders: 'not a list' }));
    expect((await failure(nethunt.check(ctx))).kind).toBe('transient');
  });

  it("scrubs the Basic authorization header from an error that quotes it", async () => {
    const authorization = `Basic ${Buffer.from(`${creds.email}:${KEY}`).toString('base64')}`;
    fake.scriptNext(json(400, { message: `Bad request; you sent Authorization: ${authorization}` }));
    const quoted = await failure(nethunt.check(ctx));
    expect(quoted.message).toMatch(/Bad request; you sent Authorization/);
    fake.scriptNext(json(200, { success: false, message: `credentials ${authorization.slice('Basic '.length)} are for another workspace` }));
    const bare = await failure(nethunt.check(ctx));
    expect(bare.kind).toBe('auth');
    for (const e of [quoted, bare]) {
      expect(e.message).not.toContain(authorization);
      expect(e.message).not.toContain(authorization.slice('Basic '.length));
    }
  });

  it('detects errors answered with HTTP 200', async () => {
    fake.errorsWith200 = true;
    const auth = await failure(nethunt.check(bed.context(nethunt, fake.baseUrl, { ...creds, apiKey: 'another-wrong-key' })));
    expect(auth.kind).toBe('auth');
    expect(auth.message).toMatch(/wrong e-mail or API key/);
    const missing = await failure(nethunt.actions['list-folder-fields'].run(ctx, { folderId: 'nope' }));
    expect(missing.kind).toBe('not-found');
    fake.faults = { failRate: 1, statuses: [429] };
    const limited = await failure(nethunt.check(ctx));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.details.retryAfterMs).toBe(30_000);
    fake.faults = { failRate: 0 };
    fake.scriptNext(json(200, { success: false, message: 'Folder is archived' }));
    const bad = await failure(nethunt.actions['list-folder-fields'].run(ctx, { folderId: LEADS }));
    expect(bad.kind).toBe('validation');
    expect(bad.message).toMatch(/Folder is archived/);
  });
});
