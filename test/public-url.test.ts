import { publicUrlProblem } from '../lib/public-url';
import { unreachableCallbacksWarning } from '../processes/callbacks-warning';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';
import { startHarness, type Harness } from './support/harness';
import { createSmsAccounts, HEADER, SHEET, smsSendBody, startSmsFakes } from './support/sms-send-scenario';
import { spawnWorker } from './support/worker-process';

interface Problem {
  status: number;
  errors?: { field: string; message: string }[];
}

const NO_SUCH_ACCOUNT = { sheetsAccountId: '00000000-0000-4000-8000-000000000001', smsAccountId: '00000000-0000-4000-8000-000000000002' };

describe('PUBLIC_URL: where 8x8 posts delivery receipts', () => {
  it('is refused when missing, loopback or plain http, and accepted when public https', () => {
    expect(publicUrlProblem(undefined)).toBe('is not set');
    for (const loopback of ['http://localhost:3000', 'https://localhost', 'https://api.localhost', 'https://127.0.0.1:8443', 'https://127.1.2.3', 'https://[::1]:3000', 'https://0.0.0.0', 'https://[::ffff:127.0.0.1]']) {
      expect([loopback, publicUrlProblem(loopback)]).toEqual([loopback, expect.stringMatching(/loopback/)]);
    }
    expect(publicUrlProblem('http://integrations.example.com')).toMatch(/plain http/);
    expect(publicUrlProblem('https://integrations.example.com/')).toBeNull();
    expect(publicUrlProblem('https://203.0.113.7:8443/api')).toBeNull();
  });
});

describe('the API as `npm run api` runs it', () => {
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  beforeAll(async () => {
    ({ sheets, sms } = await startSmsFakes());
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
  });

  describe('without PUBLIC_URL', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ production: {} });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('answers 422 naming PUBLIC_URL when an sms-send integration is created, and creates nothing', async () => {
      const ids = await createSmsAccounts(h, sheets, sms);
      const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
      const res = await h.request<Problem>('POST', '/integrations', smsSendBody(ids, spreadsheetId));
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'PUBLIC_URL', message: expect.stringMatching(/^is not set: 8x8's delivery receipts could not arrive.*resent after SMS_DOUBT_WAIT_SECONDS/) }]);
      expect((await h.request<{ items: unknown[] }>('GET', '/integrations')).body.items).toEqual([]);
    });

    it('does not ask integrations that need no callbacks for PUBLIC_URL (the check is per kind)', async () => {
      const res = await h.request<Problem>('POST', '/integrations', { kind: 'order-sync', name: 'Orders', source: { accountId: NO_SUCH_ACCOUNT.sheetsAccountId }, target: { accountId: NO_SUCH_ACCOUNT.smsAccountId }, config: {} });
      expect(res.status).toBe(422);
      expect(res.body.errors?.map((e) => e.field)).not.toContain('PUBLIC_URL');
    });
  });

  it('refuses a loopback or plain-http PUBLIC_URL the same way, naming why', async () => {
    for (const [publicUrl, why] of [['http://127.0.0.1:3000', /loopback/], ['http://integrations.example.com', /plain http/]] as const) {
      const h = await startHarness({ production: { publicUrl }, noWorker: true });
      try {
        const res = await h.request<Problem>('POST', '/integrations', smsSendBody(NO_SUCH_ACCOUNT, 'any-sheet'));
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([{ field: 'PUBLIC_URL', message: expect.stringMatching(why) }]);
      } finally {
        await h.close();
      }
    }
  });

  it('creates an sms-send integration when PUBLIC_URL is a public https address', async () => {
    const h = await startHarness({ production: { publicUrl: 'https://integrations.example.com' } });
    try {
      const ids = await createSmsAccounts(h, sheets, sms);
      const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
      const res = await h.request<{ id: string }>('POST', '/integrations', smsSendBody(ids, spreadsheetId));
      expect([res.status, res.text]).toEqual([201, expect.any(String)]);
    } finally {
      await h.close();
    }
  });
});

describe('npm start (the all-in-one dev mode)', () => {
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  let h: Harness;
  beforeAll(async () => {
    ({ sheets, sms } = await startSmsFakes());
    // The harness runs the API as npm start does: no PUBLIC_URL, receipts on loopback.
    h = await startHarness();
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  it('creates sms-send integrations without PUBLIC_URL; a worker started without it then logs one warning line', async () => {
    expect(await unreachableCallbacksWarning(h.runtime, undefined)).toBeNull(); // no sms-send yet: nothing to warn about
    const ids = await createSmsAccounts(h, sheets, sms);
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
    const res = await h.request('POST', '/integrations', smsSendBody(ids, spreadsheetId));
    expect([res.status, res.text]).toEqual([201, expect.any(String)]);

    expect(await unreachableCallbacksWarning(h.runtime, 'https://integrations.example.com')).toBeNull();
    const worker = spawnWorker(h);
    try {
      await worker.ready; // the warning is decided before the worker says it runs
      const warnings = worker.output().split('\n').filter((line) => line.includes('PUBLIC_URL'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, msg: expect.stringMatching(/^PUBLIC_URL is not set, and 1 integration\(s\) need providers to call back: sms-send: 8x8's delivery receipts could not arrive/) });
    } finally {
      await worker.kill();
    }
  });
});
