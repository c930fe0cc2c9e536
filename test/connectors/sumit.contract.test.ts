import type { PolledRecord } from '../../connectors/kit/types';
import { sumit } from '../../connectors/sumit';
import { entityChangesInput, pollEntityChanges, type EntityChange, type EntityChangesCursor } from '../../connectors/sumit/entity-changes';
import { decodeIds, encodeIds, entityRemovalsInput, pollEntityRemovals, type EntityRemoval, type EntityRemovalsCursor } from '../../connectors/sumit/entity-removals';
import { SumitFake } from '../fakes/sumit-fake';
import { connectorFailure, connectorTestbed } from '../support/connector-context';

const failure = (p: Promise<unknown>) => connectorFailure(p);

const KEY = 'sumit-test-key-0123456789';
const COMPANY = 12345678;

function action(name: string) {
  const a = sumit.actions[name];
  if (!a) throw new Error(`no action ${name}`);
  return a;
}

describe('SUMIT connector against its fake', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: SumitFake;
  const ctx = () => bed.context(sumit, fake.url, { companyId: String(COMPANY), apiKey: KEY });

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(() => bed.close());
  beforeEach(async () => {
    fake = new SumitFake({ requestsPerMinute: null });
    await fake.start();
  });
  afterEach(() => fake.close());

  it('checks good credentials, and refuses bad ones at once with SUMIT’s words and no secret', async () => {
    const ok = await sumit.check(ctx());
    expect(ok.details).toEqual({ folders: 3 });
    const sent = JSON.parse(fake.calls[0]!.body);
    // CompanyID travels as a JSON number even when the account stored it as text.
    expect(sent.Credentials).toEqual({ CompanyID: COMPANY, APIKey: KEY });
    expect(fake.calls[0]!.headers['content-language']).toBe('en');

    const err = await failure(sumit.check(bed.context(sumit, fake.url, { companyId: COMPANY, apiKey: 'wrong-key-987654' })));
    expect(err.kind).toBe('auth');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/CompanyID or APIKey is incorrect/);
    expect(err.message).not.toContain('wrong-key-987654');
    expect(fake.calls).toHaveLength(2);
  });

  it('creates a customer once per idempotency key and updates it', async () => {
    const input = { name: 'Dana Levi', emailAddress: 'dana@example.co.il', phone: '050-1234567', idempotencyKey: 'order-77' };
    const first = (await action('create-customer').run(ctx(), input)) as { customerId: number };
    const again = (await action('create-customer').run(ctx(), input)) as { customerId: number };
    expect(again.customerId).toBe(first.customerId);
    expect(fake.customers()).toHaveLength(1);
    expect(fake.customers()[0]!.properties).toMatchObject({ Customers_FullName: 'Dana Levi', Customers_ExternalIdentifier: 'order-77' });

    await action('update-customer').run(ctx(), { customerId: first.customerId, phone: '052-7654321', city: 'Haifa' });
    expect(fake.entity(first.customerId).properties).toMatchObject({ Customers_Phone: '052-7654321', Customers_City: 'Haifa', Customers_FullName: 'Dana Levi' });

    const missing = await failure(action('update-customer').run(ctx(), { customerId: 999, phone: '050-0000000' }));
    expect(missing.kind).toBe('not-found');
    const invalid = await failure(action('update-customer').run(ctx(), { customerId: -1 }));
    expect(invalid.kind).toBe('validation');
  });

  it('creates a document, e-mails it on creation, and sends it again on request', async () => {
    const result = (await action('create-document').run(ctx(), {
      type: 'InvoiceAndReceipt',
      customer: { name: 'Noa Cohen', emailAddress: 'noa@example.co.il', externalIdentifier: 'cust-1' },
      items: [{ name: 'Consulting', quantity: 2, unitPrice: 500 }],
      payments: [{ amount: 1000, type: 'CreditCard' }],
      currency: 'ILS',
      sendByEmail: { emailAddress: 'noa@example.co.il' },
      idempotencyKey: 'order-1001',
    })) as { documentId: number; documentNumber: number; customerId: number; downloadUrl: string };
    const [doc] = fake.documents();
    expect(doc).toMatchObject({ id: result.documentId, type: 'InvoiceAndReceipt', total: 1000, externalReference: 'order-1001', customerId: result.customerId });
    expect(doc!.payments).toEqual([{ amount: 1000, type: 'CreditCard' }]);
    expect(fake.sentEmails()).toEqual([expect.objectContaining({ documentId: result.documentId, to: 'noa@example.co.il', original: true })]);
    expect(result.downloadUrl).toMatch(/\.pdf$/);

    await action('send-document').run(ctx(), { documentId: result.documentId, emailAddress: 'accounts@example.co.il', personalMessage: 'Copy for your books' });
    expect(fake.sentEmails()[1]).toMatchObject({ to: 'accounts@example.co.il', message: 'Copy for your books' });

    const gone = await failure(action('send-document').run(ctx(), { documentId: 4242 }));
    expect(gone.kind).toBe('not-found');
  });

  it('detects business errors sent with HTTP 200 and keeps the secret out of them', async () => {
    fake.script({ kind: 'error', message: 'Missing Item details', technical: 'Items[0].Item is null' });
    const err = await failure(
      action('create-document').run(ctx(), { type: 'Invoice', customer: { name: 'X' }, items: [{ name: 'A', quantity: 1, unitPrice: 1 }] }),
    );
    expect(err.kind).toBe('validation');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('Missing Item details');
    expect(fake.calls.at(-1)!.status).toBe(200);
    expect(fake.documents()).toHaveLength(0);

    // A message that echoes the key is scrubbed.
    fake.script({ kind: 'error', message: `APIKey ${KEY} is not authorized for SMS` });
    const auth = await failure(action('send-sms').run(ctx(), { recipient: '0501234567', text: 'hi' }));
    expect(auth.kind).toBe('auth');
    expect(auth.message).not.toContain(KEY);
    expect(auth.message).toContain('[redacted]');

    fake.script({ kind: 'malformed' });
    const broken = await failure(sumit.check(ctx()));
    expect(broken.kind).toBe('transient');
  });

  it('reads success whether SUMIT names its enums or numbers them', async () => {
    fake.enumStyle = 'name';
    await action('send-sms').run(ctx(), { recipient: '+972501234567', text: 'Your order shipped', sender: 'Shop' });
    expect(fake.sentSms()).toEqual([expect.objectContaining({ recipient: '+972501234567', text: 'Your order shipped', sender: 'Shop' })]);
    const bad = await failure(action('send-sms').run(ctx(), { recipient: 'abcdefg', text: 'x' }));
    expect(bad.kind).toBe('validation');
  });

  it('adds to e-mail and SMS mailing lists, a second time harmlessly', async () => {
    const emailList = fake.addMailingList('email', 'Newsletter');
    const smsList = fake.addMailingList('sms', 'Promotions');
    expect(await action('add-to-email-list').run(ctx(), { mailingListId: emailList, emailAddress: 'a@example.com', name: 'A' })).toEqual({ added: true });
    expect(await action('add-to-email-list').run(ctx(), { mailingListId: emailList, emailAddress: 'a@example.com' })).toEqual({ added: false });
    expect(fake.members(emailList)).toEqual(['a@example.com']);
    await action('add-to-sms-list').run(ctx(), { mailingListId: smsList, phoneNumber: '0541112222' });
    expect(fake.members(smsList)).toEqual(['0541112222']);
    const wrong = await failure(action('add-to-sms-list').run(ctx(), { mailingListId: emailList, phoneNumber: '0541112222' }));
    expect(wrong.kind).toBe('not-found');
    expect(await action('list-folders').run(ctx(), {})).toEqual([
      { id: 1001, name: 'Customers' },
      { id: 1002, name: 'Leads' },
      { id: 1003, name: 'Projects' },
    ]);
  });

  it('honours 429 Retry-After, turns 5xx into retryable errors, and reads the temporary block', async () => {
    fake.faults = { failRate: 1, statuses: [429] };
    const limited = await failure(sumit.check(ctx()));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.details.retryAfterMs).toBe(7_000);
    fake.faults = { failRate: 1, statuses: [503] };
    const down = await failure(sumit.check(ctx()));
    expect(down.kind).toBe('transient');
    expect(down.retryable).toBe(true);
    fake.faults = { failRate: 0 };

    const strict = new SumitFake({ requestsPerMinute: 2 });
    await strict.start();
    try {
      const c = bed.context(sumit, strict.url, { companyId: COMPANY, apiKey: KEY });
      await sumit.check(c);
      await sumit.check(c);
      const blocked = await failure(sumit.check(c));
      expect(blocked.kind).toBe('rate-limited');
      expect(blocked.details.retryAfterMs).toBe(60_000);
      expect(strict.calls.at(-1)!.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('SUMIT triggers against the fake', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: SumitFake;
  const ctx = () => bed.context(sumit, fake.url, { companyId: COMPANY, apiKey: KEY });
  // Whole seconds well in the past, so entity stamps and poll horizons are under the test's control.
  const T = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(() => bed.close());
  beforeEach(async () => {
    fake = new SumitFake({ requestsPerMinute: null });
    await fake.start();
  });
  afterEach(() => fake.close());

  async function drain(
    kind: 'created' | 'updated',
    raw: Record<string, unknown>,
    cursor: EntityChangesCursor | undefined,
    now: number,
    between?: (page: number) => void,
  ): Promise<{ records: PolledRecord<EntityChange>[]; cursor: EntityChangesCursor; pages: number }> {
    const input = entityChangesInput.parse(raw);
    const records: PolledRecord<EntityChange>[] = [];
    let pages = 0;
    for (;;) {
      const page = await pollEntityChanges(ctx(), kind, input, cursor, now);
      records.push(...page.records);
      cursor = page.nextCursor;
      pages++;
      between?.(pages);
      if (!page.hasMore) return { records, cursor, pages };
      if (pages > 100) throw new Error('no end');
    }
  }

  it('reports a burst on one timestamp larger than a page, while entities leave and arrive between pages', async () => {
    const old = Array.from({ length: 3 }, () => fake.addEntity('Leads', {}, T - 120_000));
    const tied = Array.from({ length: 35 }, (_, i) => fake.addEntity('Leads', { Leads_Name: `lead ${i}` }, T));
    const later = Array.from({ length: 5 }, () => fake.addEntity('Leads', {}, T + 1_000));
    const now = T + 10_000;
    const raw = { folder: 'Leads', startFrom: new Date(T - 60_000).toISOString(), pageSize: 10, overlap: 3, safetyLagSeconds: 0 };
    const arriving: number[] = [];
    const first = await drain('created', raw, undefined, now, (page) => {
      if (page === 2) {
        // Four already-read entities are archived (the rest shift up the list), and new ones arrive.
        for (const e of later.slice(0, 4)) fake.archiveEntity(e.id);
        for (let i = 0; i < 3; i++) arriving.push(fake.addEntity('Leads', {}, T + 20_000).id);
      }
    });
    const ids = new Set(first.records.map((r) => Number(r.id)));
    for (const e of [...tied, ...later]) expect(ids.has(e.id)).toBe(true);
    for (const e of old) expect(ids.has(e.id)).toBe(false);
    expect(first.pages).toBeGreaterThanOrEqual(4);
    expect(first.records.every((r) => r.data.event === 'created' && r.dedupeKey === `created:${r.id}`)).toBe(true);
    expect(first.records.find((r) => r.id === String(tied[0]!.id))?.data.properties).toMatchObject({ Leads_Name: 'lead 0' });

    const second = await drain('created', raw, first.cursor, T + 30_000);
    expect(second.records.map((r) => Number(r.id)).sort()).toEqual([...arriving].sort());
  });

  it('keeps entities that share the boundary second: none repeated, a late one not lost', async () => {
    const now = T + 10_000;
    const top = T + 9_000; // the window edge the poll computes for `now` with no lag
    const atTop = Array.from({ length: 15 }, () => fake.addEntity('Projects', {}, top));
    const raw = { folder: 'Projects', startFrom: new Date(T).toISOString(), pageSize: 10, overlap: 2, safetyLagSeconds: 0 };
    const first = await drain('created', raw, undefined, now);
    expect(new Set(first.records.map((r) => Number(r.id)))).toEqual(new Set(atTop.map((e) => e.id)));
    expect(first.cursor.mark).toEqual({ time: top, ids: expect.arrayContaining(atTop.map((e) => e.id)) });

    // SUMIT's clock a little behind ours: an entity stamped in the already-read second shows up late.
    const late = fake.addEntity('Projects', {}, top);
    const next = fake.addEntity('Projects', {}, top + 1_000);
    const second = await drain('created', raw, first.cursor, now + 5_000);
    expect(second.records.map((r) => Number(r.id)).sort()).toEqual([late.id, next.id].sort());
  });

  it('reports each change once per change time, and leaves creations to entity-created', async () => {
    const entities = Array.from({ length: 25 }, () => fake.addEntity('Customers', { Customers_FullName: 'c' }, T - 100_000));
    const raw = { folder: '1001', startFrom: new Date(T - 50_000).toISOString(), pageSize: 10, overlap: 3, safetyLagSeconds: 0 };
    for (const e of entities.slice(0, 12)) fake.updateEntity(e.id, { Customers_City: 'Eilat' }, T);
    fake.addEntity('Customers', {}, T); // created, never changed
    const first = await drain('updated', raw, undefined, T + 5_000);
    expect(first.records.map((r) => Number(r.id)).sort()).toEqual(entities.slice(0, 12).map((e) => e.id).sort());
    expect(first.records[0]!.dedupeKey).toBe(`updated:${first.records[0]!.id}@${T}`);

    fake.updateEntity(entities[3]!.id, { Customers_City: 'Acre' }, T + 10_000);
    const second = await drain('updated', raw, first.cursor, T + 20_000);
    expect(second.records).toHaveLength(1);
    expect(second.records[0]).toMatchObject({ id: String(entities[3]!.id), dedupeKey: `updated:${entities[3]!.id}@${T + 10_000}` });
    expect(second.records[0]!.data.properties).toMatchObject({ Customers_City: 'Acre' });
  });

  it('starts from the first poll when no start is given', async () => {
    fake.addEntity('Leads', {}, T);
    const input = entityChangesInput.parse({ folder: 'Leads', safetyLagSeconds: 0 });
    const first = await pollEntityChanges(ctx(), 'created', input, undefined, T + 10_000);
    expect(first.records).toEqual([]);
    const added = fake.addEntity('Leads', {}, T + 15_000);
    const second = await pollEntityChanges(ctx(), 'created', input, first.nextCursor, T + 20_000);
    expect(second.records.map((r) => Number(r.id))).toEqual([added.id]);
  });

  it('goes through the connector declaration with plain JSON input and cursor', async () => {
    fake.addEntity('Leads', {}, Date.now() - 600_000);
    const trigger = sumit.triggers['entity-created'];
    const page = await trigger.poll(ctx(), { folder: 'Leads', startFrom: new Date(Date.now() - 3_600_000).toISOString() }, undefined);
    expect(page.records).toHaveLength(1);
    const plainCursor: typeof page.nextCursor = JSON.parse(JSON.stringify(page.nextCursor));
    const again = await trigger.poll(ctx(), { folder: 'Leads' }, plainCursor);
    expect(again.records).toHaveLength(0);
    await expect(trigger.poll(ctx(), { folder: '' }, undefined)).rejects.toMatchObject({ kind: 'validation' });
  });

  describe('archived and deleted entities', () => {
    async function drainRemovals(raw: Record<string, unknown>, cursor: EntityRemovalsCursor | undefined) {
      const input = entityRemovalsInput.parse(raw);
      const records: PolledRecord<EntityRemoval>[] = [];
      let polls = 0;
      for (;;) {
        const page = await pollEntityRemovals(ctx(), input, cursor);
        records.push(...page.records);
        cursor = page.nextCursor;
        polls++;
        if (!page.hasMore) return { records, cursor, polls };
      }
    }

    it('tells archived from deleted, a batch at a time, and reports each once', async () => {
      const all = Array.from({ length: 25 }, () => fake.addEntity('Projects', { Projects_Name: 'p' }, T));
      const raw = { folder: 'Projects', scanPageSize: 10, batchSize: 2, overlap: 3 };
      const baseline = await drainRemovals(raw, undefined);
      expect(baseline.records).toEqual([]);
      expect(decodeIds(baseline.cursor.known)).toEqual(all.map((e) => e.id));

      for (const e of all.slice(2, 5)) fake.archiveEntity(e.id);
      for (const e of all.slice(20, 22)) fake.deleteEntity(e.id);
      const found = await drainRemovals(raw, baseline.cursor);
      expect(found.polls).toBe(3);
      const byEvent = (ev: string) => found.records.filter((r) => r.data.event === ev).map((r) => Number(r.id)).sort();
      expect(byEvent('archived')).toEqual(all.slice(2, 5).map((e) => e.id));
      expect(byEvent('deleted')).toEqual(all.slice(20, 22).map((e) => e.id));
      expect(found.records.find((r) => r.data.event === 'archived')?.data.properties).toMatchObject({ Projects_Name: 'p' });
      expect(new Set(found.records.map((r) => r.dedupeKey)).size).toBe(5);

      const quiet = await drainRemovals(raw, found.cursor);
      expect(quiet.records).toEqual([]);
    });

    it('repeats the same dedupe keys when a poll is retried from the same cursor', async () => {
      const all = Array.from({ length: 12 }, () => fake.addEntity('Leads', {}, T));
      const raw = { folder: 'Leads', scanPageSize: 10 };
      const baseline = await drainRemovals(raw, undefined);
      fake.deleteEntity(all[7]!.id);
      const a = await drainRemovals(raw, baseline.cursor);
      const b = await drainRemovals(raw, baseline.cursor);
      expect(a.records.map((r) => r.dedupeKey)).toEqual(b.records.map((r) => r.dedupeKey));
      expect(a.records).toHaveLength(1);
    });

    it('never reports a live entity when entities vanish in the middle of a scan', async () => {
      let armed = false;
      const shifting = new SumitFake({
        requestsPerMinute: null,
        onCall: (call) => {
          // After the first page of a scan, an entity already read is deleted: the rest shift down a place.
          if (armed && call.path === '/crm/data/listentities/') {
            armed = false;
            shifting.deleteEntity(victim);
          }
        },
      });
      await shifting.start();
      const all = Array.from({ length: 30 }, () => shifting.addEntity('Leads', {}, T));
      const victim = all[4]!.id;
      try {
        const c = bed.context(sumit, shifting.url, { companyId: COMPANY, apiKey: KEY });
        const input = entityRemovalsInput.parse({ folder: 'Leads', scanPageSize: 10, overlap: 3 });
        const baseline = await pollEntityRemovals(c, input, undefined);
        armed = true;
        const during = await pollEntityRemovals(c, input, baseline.nextCursor);
        expect(during.records).toEqual([]);
        const after = await pollEntityRemovals(c, input, during.nextCursor);
        expect(after.records.map((r) => [r.data.event, Number(r.id)])).toEqual([['deleted', victim]]);
      } finally {
        await shifting.close();
      }
    });

    it('encodes the id snapshot compactly and losslessly', () => {
      const ids = [5, 1, 900_001, 900_002, 123_456_789];
      expect(decodeIds(encodeIds(ids))).toEqual([...ids].sort((a, b) => a - b));
      expect(decodeIds('')).toEqual([]);
    });
  });
});
