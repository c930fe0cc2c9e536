import http from 'node:http';
import { RECEIPT_RETRY_DELAYS_MS } from './sms8x8-fake-receipts';
import { Sms8x8Fake } from './sms8x8-fake';

/** A receiver answering the given statuses in turn (then 200), recording when each post came. */
async function receiver(statuses: number[]) {
  const hits: { at: number; body: unknown }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hits.push({ at: Date.now(), body: JSON.parse(body) });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/dlr`, hits, close: () => new Promise((r) => server.close(r)) };
}

const send = (fake: Sms8x8Fake, dlrCallbackUrl: string, destination = '+36701234567') =>
  fetch(`${fake.url}/api/v1/subaccounts/acme_hq/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer fake-8x8-api-key-0001', 'content-type': 'application/json' },
    body: JSON.stringify({ destination, text: 'Hi', clientMessageId: 'c-1', dlrCallbackUrl }),
  });

describe('Sms8x8Fake delivery receipts', () => {
  it("retries on 8x8's documented schedule: 1, 10, 30 and 90 seconds", () => {
    expect(RECEIPT_RETRY_DELAYS_MS).toEqual([1_000, 10_000, 30_000, 90_000]);
  });

  it('posts a receipt carrying the clientMessageId, and retries one the receiver refused after 1 s', async () => {
    const r = await receiver([500]);
    const fake = new Sms8x8Fake({ receipts: { delayMs: 10 } });
    await fake.start();
    try {
      expect((await send(fake, r.url)).status).toBe(200);
      const deadline = Date.now() + 5_000;
      // The fake records a post once it has the receiver's answer, after the receiver saw it.
      while (fake.receipts.posts.length < 2 && Date.now() < deadline) await new Promise((x) => setTimeout(x, 50));
      expect(r.hits).toHaveLength(2);
      expect(r.hits[1]!.at - r.hits[0]!.at).toBeGreaterThanOrEqual(950);
      expect(r.hits[0]!.body).toMatchObject({ namespace: 'SMS', payload: { clientMessageId: 'c-1', status: { state: 'delivered' } } });
      expect(fake.receipts.posts.map((p) => [p.attempt, p.status])).toEqual([
        [0, 500],
        [1, 200],
      ]);
    } finally {
      await fake.close();
      await r.close();
    }
  });

  it('gives up after the last retry, and posts a rejected receipt for a refused number', async () => {
    const r = await receiver([500, 500, 500, 500, 500]);
    const fake = new Sms8x8Fake({ receipts: { delayMs: 1, retryDelaysMs: [5, 5, 5, 5] } });
    await fake.start();
    try {
      await send(fake, r.url, '12');
      const deadline = Date.now() + 5_000;
      while (fake.receipts.dropped.length === 0 && Date.now() < deadline) await new Promise((x) => setTimeout(x, 20));
      expect(r.hits).toHaveLength(5);
      expect(fake.receipts.dropped).toEqual([{ url: r.url, clientMessageId: 'c-1' }]);
      expect(r.hits[0]!.body).toMatchObject({ payload: { status: { state: 'rejected' } } });
    } finally {
      await fake.close();
      await r.close();
    }
  });
});
