import { sare } from '../../connectors/sare';
import { SareFake } from '../fakes/sare-fake';
import { connectorFailure, connectorTestbed } from '../support/connector-context';

const failure = (p: Promise<unknown>) => connectorFailure(p);

const KEY = '12345678-4321-4321-4321-123456789012';

function action(name: string) {
  const a = sare.actions[name];
  if (!a) throw new Error(`no action ${name}`);
  return a;
}

describe('SARE connector against its fake', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: SareFake;
  // The real address ends in /api/v1; the client adds the UID.
  const ctx = () => bed.context(sare, `${fake.url}/api/v1`, { uid: '40123', apiKey: KEY });

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(() => bed.close());
  beforeEach(async () => {
    fake = new SareFake({ requestsPerMinute: null });
    await fake.start();
  });
  afterEach(() => fake.close());

  it('checks good credentials and refuses a bad key or UID at once, without the secret', async () => {
    expect(await sare.check(ctx())).toEqual({ details: { props: 2 } });
    expect(fake.calls[0]).toMatchObject({ method: 'GET', path: '/api/v1/40123/email/props' });
    expect(fake.calls[0]!.headers.apikey).toBe(KEY);

    const badKey = await failure(sare.check(bed.context(sare, `${fake.url}/api/v1`, { uid: '40123', apiKey: 'ffffffff-0000-0000-0000-badbadbadbad' })));
    expect(badKey.kind).toBe('auth');
    expect(badKey.retryable).toBe(false);
    expect(badKey.message).toMatch(/invalid ApiKey/);
    expect(badKey.message).not.toContain('ffffffff-0000-0000-0000-badbadbadbad');
    const badUid = await failure(sare.check(bed.context(sare, `${fake.url}/api/v1`, { uid: '99999', apiKey: KEY })));
    expect(badUid.kind).toBe('auth');
    expect(fake.calls).toHaveLength(3);
  });

  it('adds a subscriber, then updates the same one, keeping its groups', async () => {
    await action('upsert-subscriber').run(ctx(), { email: 'Jan@Example.pl', name: 'Jan', groups: [1], props: { prop1: 'Jan', prop2: 'Kraków' }, status: 8 });
    await action('upsert-subscriber').run(ctx(), { email: 'jan@example.pl', name: 'Jan Kowalski', groups: [21], customProps: { plan: 'gold' } });
    expect(fake.subscribers()).toHaveLength(1);
    const jan = fake.subscriber('jan@example.pl')!;
    expect(jan).toMatchObject({ name: 'Jan Kowalski', status: 8, prop: { prop1: 'Jan', prop2: 'Kraków' }, propCust: { plan: 'gold' }, updates: 1 });
    expect([...jan.groups].sort()).toEqual([1, 21]);

    const badGroup = await failure(action('upsert-subscriber').run(ctx(), { email: 'x@example.pl', groups: [999] }));
    expect(badGroup.kind).toBe('not-found');
    const badInput = await failure(action('upsert-subscriber').run(ctx(), { email: 'not-an-email' }));
    expect(badInput.kind).toBe('validation');
  });

  it('adds subscribers to a group, harmlessly twice', async () => {
    await action('upsert-subscriber').run(ctx(), { email: 'a@example.pl' });
    await action('upsert-subscriber').run(ctx(), { email: 'b@example.pl' });
    const input = { group: 341, emails: ['a@example.pl', 'b@example.pl'] };
    expect(await action('add-to-group').run(ctx(), input)).toEqual({ group: 341, count: 2 });
    await action('add-to-group').run(ctx(), input);
    expect(fake.subscribers().map((s) => [...s.groups])).toEqual([[341], [341]]);
    const unknown = await failure(action('add-to-group').run(ctx(), { group: 341, emails: ['nobody@example.pl'] }));
    expect(unknown.kind).toBe('not-found');
  });

  it('sends a transactional e-mail once per idempotency key', async () => {
    const mail = { to: 'ola@example.pl', subject: 'Zamówienie 1001', from: 'Sklep <sklep@example.pl>', html: '<p>Dziękujemy</p>', text: 'Dziękujemy', idempotencyKey: 'order-1001-confirmation' };
    const first = (await action('send-transactional-email').run(ctx(), mail)) as { uuid: string };
    const again = (await action('send-transactional-email').run(ctx(), mail)) as { uuid: string };
    expect(again.uuid).toBe(first.uuid);
    expect(first.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fake.sentMails()).toEqual([expect.objectContaining({ email: 'ola@example.pl', subject: 'Zamówienie 1001', html: '<p>Dziękujemy</p>', txt: 'Dziękujemy', uuid: first.uuid })]);
    const sent = JSON.parse(fake.calls.at(-1)!.body);
    expect(Array.isArray(sent) && sent[0].format).toBe('txt,html');

    await action('send-transactional-email').run(ctx(), { ...mail, idempotencyKey: undefined });
    expect(fake.sentMails()).toHaveLength(2);
    const noBody = await failure(action('send-transactional-email').run(ctx(), { to: 'ola@example.pl', subject: 's', from: 'a@b.pl' }));
    expect(noBody.kind).toBe('validation');
  });

  it('detects errors in a 200 answer, honours 429 Retry-After, retries 5xx, and keeps the key out', async () => {
    fake.script({ kind: 'error', code: 400, message: 'Invalid sender address' });
    const bad = await failure(action('send-transactional-email').run(ctx(), { to: 'ola@example.pl', subject: 's', from: 'shop@example.pl', text: 't' }));
    expect(bad.kind).toBe('validation');
    expect(bad.message).toContain('Invalid sender address');
    expect(fake.calls.at(-1)!.status).toBe(200);
    expect(fake.sentMails()).toHaveLength(0);

    fake.script({ kind: 'error', code: 403, message: `ApiKey ${KEY} has no permission for transactional mail` });
    const denied = await failure(action('send-transactional-email').run(ctx(), { to: 'ola@example.pl', subject: 's', from: 'shop@example.pl', text: 't' }));
    expect(denied.kind).toBe('auth');
    expect(denied.message).not.toContain(KEY);

    fake.script({ kind: 'malformed' });
    expect((await failure(sare.check(ctx()))).kind).toBe('transient');

    fake.faults = { failRate: 1, statuses: [429] };
    const limited = await failure(sare.check(ctx()));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.details.retryAfterMs).toBe(12_000);
    fake.faults = { failRate: 1, statuses: [502] };
    const down = await failure(sare.check(ctx()));
    expect(down.kind).toBe('transient');
    expect(down.retryable).toBe(true);
  });

  it('reads the fake’s own limit as a rate limit with its wait', async () => {
    const strict = new SareFake({ requestsPerMinute: 1 });
    await strict.start();
    try {
      const c = bed.context(sare, `${strict.url}/api/v1`, { uid: '40123', apiKey: KEY });
      await sare.check(c);
      const err = await failure(sare.check(c));
      expect(err.kind).toBe('rate-limited');
      expect(err.details.retryAfterMs).toBe(30_000);
      expect(strict.limitViolations).toBe(1);
    } finally {
      await strict.close();
    }
  });
});
