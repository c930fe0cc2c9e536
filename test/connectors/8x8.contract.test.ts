import { clientMessageIdFor, parseDeliveryReceipt, sms8x8 } from '../../connectors/8x8';
import { sendBatch, sendSms, type SendBatchInput } from '../../connectors/8x8/messages';
import { error, Sms8x8Fake } from '../fakes/sms8x8-fake';
import { connectorFailure, connectorTestbed } from '../support/connector-context';

const KEY = 'fake-8x8-api-key-0001';
const SUB = 'acme_hq';

const failure = (p: Promise<unknown>) => connectorFailure(p, [KEY, 'wrong-key-0000']);

describe('8x8 SMS connector against its fake', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: Sms8x8Fake;
  const ctxFor = (limits?: Record<string, number>) => bed.context(sms8x8, fake.url, { apiKey: KEY, subAccountId: SUB }, { limits });

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(() => bed.close());
  beforeEach(async () => {
    fake = new Sms8x8Fake();
    await fake.start();
  });
  afterEach(() => fake.close());

  it('checks good credentials and refuses a bad key or a foreign sub-account at once with 8x8’s message', async () => {
    expect(await sms8x8.check(ctxFor())).toEqual({ details: { subAccountId: SUB } });
    const badKey = await failure(sms8x8.check(bed.context(sms8x8, fake.url, { apiKey: 'wrong-key-0000', subAccountId: SUB })));
    expect(badKey).toMatchObject({ kind: 'auth', retryable: false, details: { status: 401, providerCode: 1200 } });
    expect(badKey.message).toMatch(/Request was not authenticated properly/);
    // 8x8 sends 1001 with HTTP 400: still a credentials problem, not a bad message.
    const badSub = await failure(sms8x8.check(bed.context(sms8x8, fake.url, { apiKey: KEY, subAccountId: 'other_hq' })));
    expect(badSub).toMatchObject({ kind: 'auth', details: { providerCode: 1001 } });
    expect(badSub.message).toMatch(/doesn't belongs to your account/);
    expect(fake.calls).toHaveLength(3);
    expect(fake.sentMessages()).toEqual([]);
  });

  describe('send one SMS', () => {
    it('sends through the sub-account with the bearer key and reports 8x8’s umid and encoding', async () => {
      const out = await sms8x8.actions['send-sms'].run(ctxFor(), { destination: '+36701234567', text: 'Árvíztűrő tükörfúrógép', source: 'Acme', clientMessageId: 'int-1:row-2' });
      const [sent] = fake.sentMessages();
      expect(sent).toMatchObject({ destination: '+36701234567', text: 'Árvíztűrő tükörfúrógép', source: 'Acme', clientMessageId: 'int-1:row-2', encoding: 'UCS2', status: 'QUEUED' });
      expect(out).toMatchObject({ umid: sent!.umid, encoding: 'UCS2', accepted: true, duplicate: false, status: { code: 'QUEUED' } });
      expect(fake.calls[0]).toMatchObject({ method: 'POST', path: `/api/v1/subaccounts/${SUB}/messages`, headers: { authorization: `Bearer ${KEY}` } });
    });

    it('turns a REJECTED answer inside HTTP 200 into a non-retryable error with 8x8’s reason', async () => {
      const err = await failure(sendSms(ctxFor(), { destination: '+1123', text: 'Hi' }));
      expect(err).toMatchObject({ kind: 'validation', retryable: false });
      expect(err.message).toMatch(/Invalid MSISDN format/);
      expect(fake.sentMessages({ status: 'REJECTED' })).toHaveLength(1);
      const tooLong = await failure(sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi', dlrCallbackUrl: 'ftp://x' }));
      expect(tooLong).toMatchObject({ kind: 'validation', details: { status: 400, providerCode: 3020 } });
    });

    it('does not send a clientMessageId twice, and refuses to reuse one for another text', async () => {
      const ctx = ctxFor();
      const first = await sendSms(ctx, { destination: '+36701234567', text: 'Your code: 1234', clientMessageId: 'otp-77' });
      const again = await sendSms(ctx, { destination: '+36701234567', text: 'Your code: 1234', clientMessageId: 'otp-77' });
      expect(again).toMatchObject({ umid: first.umid, duplicate: true, accepted: true });
      expect(fake.sentMessages({ clientMessageId: 'otp-77' })).toHaveLength(1);
      const other = await failure(sendSms(ctx, { destination: '+36701234567', text: 'Your code: 9999', clientMessageId: 'otp-77' }));
      expect(other).toMatchObject({ kind: 'validation' });
      expect(fake.sentMessages()).toHaveLength(1);
    });

    it('says a send whose answer was lost may have gone out', async () => {
      fake.dropAnswerAfterSending();
      const err = await failure(sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi', clientMessageId: 'lost-1' }));
      expect(err).toMatchObject({ kind: 'transient', retryable: true });
      expect(err.message).toMatch(/may have been accepted/);
      expect(fake.sentMessages({ clientMessageId: 'lost-1' })).toHaveLength(1);
    });
  });

  describe('send a batch', () => {
    const batch = (n: number, bad: number[] = []): SendBatchInput => ({
      clientBatchId: 'campaign-1',
      defaults: { source: 'Acme' },
      messages: Array.from({ length: n }, (_, i) => ({
        destination: bad.includes(i) ? '+1123' : `+3670${String(i).padStart(7, '0')}`,
        text: `Hello ${i}`,
        clientMessageId: `c1:${i}`,
      })),
    });

    it('reports REJECTED messages one by one, and a retried batch sends only what was not taken', async () => {
      const ctx = ctxFor();
      const out = await sms8x8.actions['send-sms-batch'].run(ctx, batch(3, [1]));
      expect(out).toMatchObject({ clientBatchId: 'campaign-1', acceptedCount: 2, rejectedCount: 1, duplicateCount: 0 });
      const results = out.messages;
      expect(results.map((m) => [m.clientMessageId, m.status.code])).toEqual([
        ['c1:0', 'QUEUED'],
        ['c1:1', 'REJECTED'],
        ['c1:2', 'QUEUED'],
      ]);
      expect(results[1]!.status.description).toMatch(/Invalid MSISDN/);
      expect(fake.sentMessages({ status: 'QUEUED' }).map((m) => m.source)).toEqual(['Acme', 'Acme']);

      const retry = await sendBatch(ctx, batch(3, [1]));
      expect(retry).toMatchObject({ acceptedCount: 0, rejectedCount: 1, duplicateCount: 2 });
      expect(retry.messages.map((m) => m.duplicate)).toEqual([true, false, true]);
      expect(fake.sentMessages({ status: 'QUEUED' })).toHaveLength(2);
      expect(fake.calls.filter((c) => c.path.endsWith('/batch'))).toHaveLength(2);
      expect(JSON.parse(fake.calls[1]!.body).messages).toHaveLength(1);
    });

    it('sends 10,000 messages in one request and refuses more before calling 8x8', async () => {
      const out = await sendBatch(ctxFor(), batch(10_000));
      expect(out.acceptedCount).toBe(10_000);
      expect(fake.sentMessages({ status: 'QUEUED' })).toHaveLength(10_000);
      await expect(sendBatch(ctxFor(), batch(10_001))).rejects.toThrow();
      expect(fake.calls).toHaveLength(1);
    });

    it('refuses a batch that repeats a clientMessageId', async () => {
      const input = batch(2);
      input.messages[1]!.clientMessageId = 'c1:0';
      expect(await failure(sendBatch(ctxFor(), input))).toMatchObject({ kind: 'validation' });
      expect(fake.calls).toHaveLength(0);
    });
  });

  describe('limits and failures', () => {
    it('waits out a 429 with a short Retry-After and sends once', async () => {
      fake.scriptNext(error(429, 429, 'Quota exceeded. Please try again in 1 second(s).', { 'retry-after': '1' }));
      const started = Date.now();
      await sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
      expect(fake.sentMessages()).toHaveLength(1);
    });

    it('hands a long Retry-After to Temporal as the wait', async () => {
      fake.scriptNext(error(429, 429, 'Quota exceeded. Please try again in 30 second(s).', { 'retry-after': '30' }));
      const err = await failure(sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi' }));
      expect(err).toMatchObject({ kind: 'rate-limited', retryable: true, details: { retryAfterMs: 30_000, status: 429 } });
      fake.scriptNext(error(429, 429, 'Quota exceeded. Please try again in 20 second(s).'));
      expect((await failure(sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi' }))).details.retryAfterMs).toBe(20_000);
      expect(fake.sentMessages()).toHaveLength(0);
    });

    it('keeps under the per-second limit instead of drawing 429s', async () => {
      const limited = new Sms8x8Fake({ requestsPerSecond: 2 });
      await limited.start();
      try {
        const ctx = bed.context(sms8x8, limited.url, { apiKey: KEY, subAccountId: SUB }, { limits: { requestsPerSecond: 2 } });
        for (let i = 0; i < 5; i++) await sendSms(ctx, { destination: '+36701234567', text: `Hi ${i}` });
        expect(limited.sentMessages()).toHaveLength(5);
        expect(limited.limitViolations).toBe(0);
      } finally {
        await limited.close();
      }
    });

    it('maps 5xx and timeouts to retryable errors and a 200 that is not JSON to a transient one', async () => {
      fake.faults = { failRate: 1, statuses: [500, 503] };
      expect(await failure(sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi' }))).toMatchObject({ kind: 'transient', retryable: true });
      fake.faults = { failRate: 0, timeoutRate: 1 };
      const slow = bed.context(sms8x8, fake.url, { apiKey: KEY, subAccountId: SUB }, { timeoutMs: 300 });
      expect(await failure(sms8x8.check(slow))).toMatchObject({ kind: 'transient' });
      fake.faults = { failRate: 0 };
      fake.scriptNext({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>gateway</html>' });
      const odd = await failure(sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi' }));
      expect(odd).toMatchObject({ kind: 'transient' });
      expect(odd.message).toMatch(/may have been accepted/);
      // 8x8's own REJECTED "Internal server error" is worth a retry.
      fake.scriptNext({ status: 200, body: JSON.stringify({ umid: 'u', destination: '+36701234567', encoding: 'GSM7', status: { code: 'REJECTED', description: 'Internal server error' } }) });
      expect(await failure(sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi' }))).toMatchObject({ kind: 'transient' });
    });
  });

  describe('delivery receipts', () => {
    it('parses the webhook body 8x8 posts, as text or JSON, and refuses a malformed one', async () => {
      const sent = await sendSms(ctxFor(), { destination: '+36701234567', text: 'Hi', clientMessageId: 'dlr-1' });
      const body = fake.deliveryReceipt(sent.umid!, 'delivered');
      const dlr = parseDeliveryReceipt(JSON.stringify(body));
      expect(dlr.payload).toMatchObject({ umid: sent.umid, clientMessageId: 'dlr-1', subAccountId: SUB, status: { state: 'delivered', detail: 'delivered_to_recipient' }, smsCount: 1 });
      expect(parseDeliveryReceipt(fake.deliveryReceipt(sent.umid!, 'undelivered')).payload.status.errorMessage).toBe('Invalid destination');
      expect(() => parseDeliveryReceipt({ namespace: 'SMS', eventType: 'outbound_message_status_changed', payload: { umid: 'x' } })).toThrow(/payload/);
      expect(() => parseDeliveryReceipt('not json')).toThrow(/not JSON/);
    });
  });

  it('derives a clientMessageId within 8x8’s 50 characters, the same every time', () => {
    expect(clientMessageIdFor('int-1:row-2')).toBe('int-1:row-2');
    const long = clientMessageIdFor('integration-3f0e5c1a-8d8b-4b7e-9a53-4f1d0c6b2e11:row-123456');
    expect(long.length).toBeLessThanOrEqual(50);
    expect(long).toBe(clientMessageIdFor('integration-3f0e5c1a-8d8b-4b7e-9a53-4f1d0c6b2e11:row-123456'));
  });
});
