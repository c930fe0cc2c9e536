import { type ConnectorError } from '../../connectors/kit/errors';
import type { ConnectorContext } from '../../connectors/kit/types';
import { worksection } from '../../connectors/worksection';
import type { WorksectionCredentials } from '../../connectors/worksection/auth';
import { signedQuery } from '../../connectors/worksection/client';
import type { TaskEvent, TaskEventCursor } from '../../connectors/worksection/task-events';
import { WorksectionFake } from '../fakes/worksection-fake';
import { connectorFailure, connectorTestbed, drainTrigger } from '../support/connector-context';

const KEY = '7776461cd931e7b1c8e9632ff8e979ce';
const FAST = { limits: { requestsPerSecond: 1000 } };
const errors: ConnectorError[] = [];

const failure = (p: Promise<unknown>) => connectorFailure(p).then((e) => (errors.push(e), e));

type Ctx = ConnectorContext<WorksectionCredentials>;
type Task = { id: string; name: string; status: string };

const drain = (ctx: Ctx, trigger: string, input: Record<string, unknown>, cursor: TaskEventCursor | undefined) => drainTrigger<TaskEvent, TaskEventCursor>(worksection.triggers[trigger]!, ctx, input, cursor);

describe('Worksection connector against its fake', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: WorksectionFake;
  let ctx: Ctx;

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(async () => {
    for (const e of errors) expect(e.message).not.toContain(KEY);
    await bed.close();
  });
  beforeEach(async () => {
    fake = new WorksectionFake({ requestsPerSecond: null });
    await fake.start();
    ctx = bed.context(worksection, fake.url, { apiKey: KEY }, FAST);
  });
  afterEach(() => fake.close());

  it('signs the query string exactly as the official example does', () => {
    expect(signedQuery('get_tasks', { id_project: 26 }, KEY)).toBe('action=get_tasks&id_project=26&hash=ec3ab2c28f21b4a07424f8ed688d6644');
  });

  it("signs exactly the bytes it sends: ' ( ) ! * and non-ASCII text pass the hash check and arrive as written", async () => {
    const title = "O'Brien (VIP)!* — Kovács Ödön, Győr";
    const text = 'Árvíztűrő tükörfúrógép: 100% *kész*!';
    const created = (await worksection.actions['create-task'].run(ctx, { projectId: '26', title, text })) as Task;
    expect(fake.task(created.id)).toMatchObject({ name: title, text });

    // The lookup crash recovery makes (a filter in quotes), with every character encodeURIComponent leaves alone.
    const filter = "name has 'Brien (VIP)!*' and name has 'Győr'";
    const found = (await worksection.actions['search-tasks'].run(ctx, { projectId: '26', status: 'active', filter })) as Task[];
    expect(found.map((t) => t.name)).toEqual([title]);

    const [post, search] = fake.calls;
    expect(post!.status).toBe(200);
    expect(post!.query).toMatchObject({ action: 'post_task', title, text });
    expect(search!.query).toMatchObject({ action: 'search_tasks', filter });
    // What went on the wire is strict RFC 3986: only unreserved characters are left as they are.
    for (const call of [post!, search!]) expect(call.rawQuery).toMatch(/^[A-Za-z0-9\-_.~%=&]+$/);
    expect(search!.rawQuery).toContain('filter=name%20has%20%27Brien%20%28VIP%29%21%2A%27%20and%20name%20has%20%27Gy%C5%91r%27');
  });

  it('checks good credentials and refuses bad ones at once, with the provider message and no secret', async () => {
    expect(await worksection.check(ctx)).toEqual({ details: { activeProjects: 1 } });
    const wrong = 'ffffffffffffffffffffffffffffffff';
    const err = await failure(worksection.check(bed.context(worksection, fake.url, { apiKey: wrong }, FAST)));
    expect(err.kind).toBe('auth');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/Invalid hash/);
    expect(err.message).not.toContain(wrong);
    expect(fake.calls).toHaveLength(2);
    const noAccount = await failure(worksection.check(bed.context(worksection, 'https://worksection.com', { apiKey: KEY }, FAST)));
    expect(noAccount.kind).toBe('validation');
  });

  it('lists projects by status and users', async () => {
    const archived = (await worksection.actions['list-projects'].run(ctx, { status: 'archived' })) as { id: string; status: string }[];
    expect(archived).toEqual([expect.objectContaining({ id: '28', status: 'archived' })]);
    expect(((await worksection.actions['list-projects'].run(ctx, {})) as unknown[]).length).toBe(3);
    const users = (await worksection.actions['list-users'].run(ctx, {})) as { email: string }[];
    expect(users.map((u) => u.email)).toEqual(['owner@acme.test', 'bob@acme.test']);
  });

  it('creates, reads, updates, completes, reopens and searches tasks in Worksection’s state', async () => {
    const created = (await worksection.actions['create-task'].run(ctx, {
      projectId: '26',
      title: 'Call Acme & co — 50% off?',
      text: 'NetHunt record 65f0…01\nline two',
      assigneeEmail: 'bob@acme.test',
      dateEnd: '2024-06-01',
      priority: 7,
      tags: ['crm'],
    })) as Task;
    const stored = fake.task(created.id)!;
    expect(stored).toMatchObject({ name: 'Call Acme & co — 50% off?', projectId: '26', userTo: 'bob@acme.test', dateEnd: '2024-06-01', priority: 7, tags: ['crm'], status: 'active' });
    expect(stored.text).toBe('NetHunt record 65f0…01\nline two');

    const got = (await worksection.actions['get-task'].run(ctx, { taskId: created.id })) as Task & { text: string };
    expect(got).toMatchObject({ id: created.id, name: stored.name, text: stored.text, status: 'active' });

    await worksection.actions['update-task'].run(ctx, { taskId: created.id, title: 'Call Acme', priority: 2 });
    expect(fake.task(created.id)).toMatchObject({ name: 'Call Acme', priority: 2 });

    await worksection.actions['complete-task'].run(ctx, { taskId: created.id });
    expect(fake.task(created.id)!.status).toBe('done');
    const done = (await worksection.actions['search-tasks'].run(ctx, { projectId: '26', status: 'done' })) as Task[];
    expect(done.map((t) => t.id)).toEqual([created.id]);
    await worksection.actions['reopen-task'].run(ctx, { taskId: created.id });
    expect(fake.task(created.id)!.status).toBe('active');
    const byName = (await worksection.actions['search-tasks'].run(ctx, { filter: "name has 'acme'" })) as Task[];
    expect(byName.map((t) => t.id)).toEqual([created.id]);

    const missing = await failure(worksection.actions['get-task'].run(ctx, { taskId: '999999' }));
    expect(missing.kind).toBe('not-found');
    const archived = await failure(worksection.actions['create-task'].run(ctx, { projectId: '28', title: 'x' }));
    expect(archived.kind).toBe('validation');
    expect(archived.message).toMatch(/archived/);
    expect(fake.tasks()).toHaveLength(1);
    const tooLong = await failure(worksection.actions['create-task'].run(ctx, { projectId: '26', title: 'long', text: 'x'.repeat(9000) }));
    expect(tooLong.kind).toBe('validation');
  });

  it('hands out every task closed in a same-minute burst bigger than a page, and late-logged closes', async () => {
    const before = fake.addTask('26', 'Closed long ago');
    fake.closeTask(before.id, Date.now() - 3 * 60 * 60_000);
    const baseline = await worksection.triggers['closed-tasks'].poll(ctx, {}, undefined);
    expect(baseline.records).toEqual([]);

    const minuteStart = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
    const burst = Array.from({ length: 130 }, (_, i) => fake.addTask('26', `Burst ${i}`, minuteStart - 60_000));
    for (const [i, t] of burst.entries()) fake.closeTask(t.id, minuteStart + (i % 50) * 100);
    const later = fake.addTask('27', 'Later');
    fake.closeTask(later.id, minuteStart + 2 * 60_000);

    const first = await drain(ctx, 'closed-tasks', { pageSize: 50 }, baseline.nextCursor);
    expect(first.polls).toBeGreaterThanOrEqual(3);
    expect(first.records.map((r) => r.data.taskId).sort()).toEqual([...burst, later].map((t) => t.id).sort());
    expect(new Set(first.records.map((r) => r.dedupeKey)).size).toBe(first.records.length);
    expect(first.records.at(-1)!.data).toMatchObject({ taskId: later.id, action: 'close', date: fake.localMinute(minuteStart + 2 * 60_000) });

    // A close logged late, a minute before the last one handed out, is still caught; nothing repeats.
    const late = fake.addTask('26', 'Logged late', minuteStart);
    fake.closeTask(late.id, minuteStart + 60_000);
    const second = await drain(ctx, 'closed-tasks', { pageSize: 50 }, first.cursor);
    expect(second.records.map((r) => r.data.taskId)).toEqual([late.id]);
    const third = await drain(ctx, 'closed-tasks', { pageSize: 50 }, second.cursor);
    expect(third.records).toEqual([]);
  });

  it('hands out chosen task events from startAt, reopen and close again included', async () => {
    const at = Date.now() - 20 * 60_000;
    const t = fake.addTask('26', 'Tracked', at);
    fake.closeTask(t.id, at + 60_000);
    fake.reopenTask(t.id, at + 120_000);
    fake.closeTask(t.id, at + 180_000);
    const { records } = await drain(ctx, 'task-events', { actions: ['post', 'close'], startAt: fake.localMinute(at) }, undefined);
    expect(records.map((r) => r.data.action)).toEqual(['post', 'close', 'close']);
    const onlyLater = await drain(ctx, 'closed-tasks', { startAt: fake.localMinute(at + 150_000) }, undefined);
    expect(onlyLater.records.map((r) => r.data.date)).toEqual([fake.localMinute(at + 180_000)]);
  });

  it('honours "Too many requests" (HTTP 200) and 429 with the asked wait; 5xx, timeouts and garbage are retryable', async () => {
    const strict = new WorksectionFake({ requestsPerSecond: 1 });
    await strict.start();
    try {
      const rushing = bed.context(worksection, strict.url, { apiKey: KEY }, FAST);
      await worksection.actions['list-users'].run(rushing, {});
      const limited = await failure(worksection.actions['list-users'].run(rushing, {}));
      expect(limited.kind).toBe('rate-limited');
      expect(limited.details.retryAfterMs).toBe(1000);
    } finally {
      await strict.close();
    }

    fake.faults = { failRate: 1, statuses: [429] };
    const http429 = await failure(worksection.check(ctx));
    expect(http429.kind).toBe('rate-limited');
    expect(http429.details.retryAfterMs).toBe(2000);

    fake.faults = { failRate: 1, statuses: [502] };
    const down = await failure(worksection.check(ctx));
    expect(down.kind).toBe('transient');
    expect(down.retryable).toBe(true);

    fake.faults = { failRate: 0, timeoutRate: 1 };
    const slow = await failure(worksection.check(bed.context(worksection, fake.url, { apiKey: KEY }, { ...FAST, timeoutMs: 300 })));
    expect(slow.kind).toBe('transient');

    fake.faults = { failRate: 0 };
    fake.scriptNext({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok","data":[' });
    expect((await failure(worksection.check(ctx))).kind).toBe('transient');
  });

  it('keeps to one call a second with the documented limit, so Worksection never refuses', async () => {
    const strict = new WorksectionFake({ requestsPerSecond: 1 });
    await strict.start();
    try {
      const polite = bed.context(worksection, strict.url, { apiKey: KEY });
      const started = Date.now();
      for (let i = 0; i < 3; i++) await worksection.actions['list-users'].run(polite, {});
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(strict.limitViolations).toBe(0);
    } finally {
      await strict.close();
    }
  });
});
