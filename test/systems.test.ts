import type { SystemView } from '../api/catalogue';
import type { FakeServer } from './fakes/fake-server';
import { GoogleSheetsFake } from './fakes/google-sheets-fake';
import { MiniCrmFake } from './fakes/minicrm-fake';
import { NethuntFake } from './fakes/nethunt-fake';
import { SareFake } from './fakes/sare-fake';
import { Sms8x8Fake } from './fakes/sms8x8-fake';
import { SumitFake } from './fakes/sumit-fake';
import { UnasFake } from './fakes/unas-fake';
import { WorksectionFake } from './fakes/worksection-fake';
import { startHarness, type Harness } from './support/harness';

interface Case {
  system: string;
  fake: () => FakeServer;
  /** The API's address on the fake, where the real one has a path (as in the connector's defaultBaseUrl). */
  path?: string;
  good: Record<string, unknown>;
  bad: Record<string, unknown>;
  /** The provider's own words for the bad credentials. */
  reason: RegExp;
}

const cases: Case[] = [
  { system: 'unas', fake: () => new UnasFake(), good: { apiKey: 'unas-test-key' }, bad: { apiKey: 'unas-wrong-key' }, reason: /Invalid API key/i },
  { system: 'minicrm', fake: () => new MiniCrmFake(), good: { systemId: 12345, apiKey: 'minicrm-test-key' }, bad: { systemId: 12345, apiKey: 'minicrm-wrong-key' }, reason: /Unauthorized/i },
  { system: 'nethunt', fake: () => new NethuntFake(), path: '/api/v1/zapier', good: { email: 'owner@example.com', apiKey: 'nethunt-test-key-0001' }, bad: { email: 'owner@example.com', apiKey: 'nethunt-wrong-key' }, reason: /.{6,}/ },
  { system: 'worksection', fake: () => new WorksectionFake(), good: { apiKey: '7776461cd931e7b1c8e9632ff8e979ce' }, bad: { apiKey: '00000000000000000000000000000000' }, reason: /Invalid hash/i },
  { system: 'google-sheets', fake: () => new GoogleSheetsFake(), good: { accessToken: 'ya29.fake-access-token' }, bad: { accessToken: 'ya29.revoked-token' }, reason: /invalid authentication credentials/i },
  { system: '8x8', fake: () => new Sms8x8Fake(), good: { apiKey: 'fake-8x8-api-key-0001', subAccountId: 'acme_hq' }, bad: { apiKey: 'fake-8x8-wrong-key', subAccountId: 'acme_hq' }, reason: /.{6,}/ },
  { system: 'sumit', fake: () => new SumitFake(), good: { companyId: 12345678, apiKey: 'sumit-test-key-0123456789' }, bad: { companyId: 12345678, apiKey: 'sumit-wrong-key-000' }, reason: /.{6,}/ },
  { system: 'sare', fake: () => new SareFake(), path: '/api/v1', good: { uid: '40123', apiKey: '12345678-4321-4321-4321-123456789012' }, bad: { uid: '40123', apiKey: '00000000-0000-0000-0000-000000000000' }, reason: /invalid ApiKey/i },
];

describe('systems: the catalogue and a credentials check for each', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ noWorker: true });
  });
  afterAll(() => h?.close());

  it('lists every system with its functionalities, secret fields marked, and JSON Schemas for actions and triggers', async () => {
    const res = await h.request<{ items: SystemView[] }>('GET', '/systems');
    expect(res.status).toBe(200);
    expect(res.body.items.map((s) => s.id).sort()).toEqual(cases.map((c) => c.system).sort());
    for (const system of res.body.items) {
      expect(system.functionalities.length).toBeGreaterThan(0);
      const props = system.auth.schema.properties as Record<string, { writeOnly?: boolean }>;
      for (const field of system.auth.secretFields) expect(props[field]?.writeOnly).toBe(true);
      for (const op of [...system.actions, ...system.triggers]) expect(op.input).toMatchObject({ type: 'object' });
    }
    const sumit = res.body.items.find((s) => s.id === 'sumit')!;
    expect(sumit.actions.map((a) => a.key)).toEqual(expect.arrayContaining(['create-customer', 'create-document', 'send-sms', 'add-to-email-list']));
  });

  it('filters by functionality, and names a functionality it does not know', async () => {
    const sms = await h.request<{ items: SystemView[] }>('GET', '/systems?functionality=sms');
    expect(sms.body.items.map((s) => s.id).sort()).toEqual(['8x8', 'sumit']);
    const bad = await h.request<{ errors: { field: string; message: string }[] }>('GET', '/systems?functionality=fax');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]?.field).toBe('query.functionality');
    expect((await h.request('GET', '/systems/nope')).status).toBe(404);
  });

  describe.each(cases)('$system', (c) => {
    let fake: FakeServer;
    beforeAll(async () => {
      fake = c.fake();
      await fake.start();
    });
    afterAll(() => fake.close());

    it('good credentials make the account active; bad ones inactive with the provider’s reason', async () => {
      const create = (credentials: Record<string, unknown>, name: string) =>
        h.request<{ id: string }>('POST', '/accounts', { system: c.system, name, baseUrl: `${fake.url}${c.path ?? ''}`, credentials });
      const good = await create(c.good, 'good');
      const bad = await create(c.bad, 'bad');
      expect([good.status, bad.status]).toEqual([201, 201]);

      const ok = await h.request<{ status: string; statusReason: string | null }>('POST', `/accounts/${good.body.id}/check`);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'active', statusReason: null });

      const refused = await h.request<{ status: string; statusReason: string | null }>('POST', `/accounts/${bad.body.id}/check`);
      expect(refused.status).toBe(200);
      expect(refused.body.status).toBe('inactive');
      expect(refused.body.statusReason).toMatch(c.reason);
      for (const value of Object.values(c.bad)) if (typeof value === 'string' && value.length > 8) expect(refused.text).not.toContain(value);
    });
  });
});
