import { CONSOLE_CSP } from '../../api/console';
import { GoogleOAuthFake } from '../fakes/google-oauth-fake';
import { GoogleSheetsFake } from '../fakes/google-sheets-fake';
import { MiniCrmFake } from '../fakes/minicrm-fake';
import { UnasFake } from '../fakes/unas-fake';
import { describeInBrowser, openBrowser, screenshots, seriousViolations, type BrowserSession } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { createOrderSync } from '../support/order-sync-scenario';

interface Account {
  id: string;
  name: string;
  system: string;
  status: string;
  statusReason: string | null;
  functionalities: Record<string, boolean>;
}

/**
 * The console in Chromium against the real API and worker and the providers' fakes: signing in,
 * connecting a key-based and an OAuth account, the hub's switches, rename and a refused delete.
 */
describeInBrowser('console: sign in, hub and used systems', __filename, () => {
  let h: Harness;
  let b: BrowserSession;
  const crm = new MiniCrmFake();
  const unas = new UnasFake();
  const sheets = new GoogleSheetsFake({ accessTokens: [], readsPerMinutePerUser: null, readsPerMinutePerProject: null });
  const oauth = new GoogleOAuthFake({ onTokenIssued: (token, expiresAt) => sheets.grantToken(token, expiresAt) });

  const accounts = async () => (await h.request<{ items: Account[] }>('GET', '/accounts')).body.items;
  const accountNamed = async (name: string) => (await accounts()).find((a) => a.name === name);

  beforeAll(async () => {
    await Promise.all([crm.start(), unas.start(), sheets.start(), oauth.start()]);
    h = await startHarness({ oauthClients: { 'google-sheets': { clientId: oauth.clientId, clientSecret: oauth.clientSecret, authorizeUrl: oauth.authorizeUrl, tokenUrl: oauth.tokenUrl } } });
    oauth.redirectUris.add(`${h.api.url}/oauth/callback`);
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
    await Promise.all([crm.close(), unas.close(), sheets.close(), oauth.close()]);
  });
  afterEach(() => {
    // The CSP holds: nothing the console needs was refused, and no script failed.
    expect(b.pageErrors.splice(0)).toEqual([]);
  });

  it('a browser opening the address lands on the console with its security headers; a wrong token shows the API reason', async () => {
    const page = b.page;
    const res = await page.goto(`${h.api.url}/`);
    expect(new URL(page.url()).pathname).toBe('/ui/');
    expect(res!.headers()['content-security-policy']).toBe(CONSOLE_CSP);
    expect(res!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res!.headers()['x-content-type-options']).toBe('nosniff');
    // JSON clients keep the API's answer at /.
    expect((await fetch(`${h.api.url}/`, { headers: { accept: 'application/json' } })).status).toBe(401);

    await page.getByLabel('API token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refused = await fetch(`${h.api.url}/hub`, { headers: { authorization: 'Bearer not-the-token' } });
    const reason = ((await refused.json()) as { detail: string }).detail;
    await expect(page.getByRole('alert').textContent()).resolves.toContain(reason);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'sign-in');

    await page.getByLabel('API token').fill(h.apiToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Hub', level: 1 }).waitFor();
    // Kept for this tab only.
    expect(await page.evaluate('[sessionStorage.length, localStorage.length]')).toEqual([1, 0]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'hub');
  });

  it('connecting MiniCRM with a wrong key shows the provider reason and keeps nothing; the right key lists the account', async () => {
    const page = b.page;
    // The reason MiniCRM gives for a wrong key, as the API reports it.
    const probe = await h.request<Account>('POST', '/accounts', { system: 'minicrm', name: 'probe', baseUrl: crm.url, credentials: { systemId: String(crm.systemId), apiKey: 'wrong-key-123' } });
    const providerReason = (await h.request<Account>('POST', `/accounts/${probe.body.id}/check`)).body.statusReason!;
    expect(providerReason).toBeTruthy();
    await h.request('DELETE', `/accounts/${probe.body.id}`);

    await page.goto(`${h.api.url}/ui/#/hub`);
    await page.getByRole('button', { name: /^CRM/ }).click();
    await page.getByRole('button', { name: 'Connect MiniCRM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect MiniCRM' });
    await dialog.getByLabel('Account name').fill('Sales CRM');
    await dialog.getByLabel('System ID').fill(String(crm.systemId));
    await expect(dialog.getByLabel('API key').getAttribute('type')).resolves.toBe('password');
    await dialog.getByLabel('API key').fill('wrong-key-123');
    await dialog.getByLabel('Base URL (optional)').fill(crm.url);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'hub-connect');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await dialog.getByRole('alert').filter({ hasText: providerReason }).waitFor();
    expect(await accountNamed('Sales CRM')).toBeUndefined();

    await dialog.getByLabel('API key').fill(crm.apiKey);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('heading', { name: 'Used systems', level: 1 }).waitFor();
    const block = page.getByRole('article', { name: 'Sales CRM' });
    await block.getByText('active', { exact: true }).waitFor();
    expect(await accountNamed('Sales CRM')).toMatchObject({ system: 'minicrm', status: 'active' });
  });

  it('connecting Google Sheets goes through the provider consent and comes back to the console with the account shown', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/hub`);
    await page.getByRole('button', { name: /^Spreadsheets/ }).click();
    await page.getByRole('button', { name: 'Connect Google Sheets' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect Google Sheets' });
    await dialog.getByLabel('Account name').fill('Order sheet');
    await dialog.getByLabel('Base URL (optional)').fill(sheets.url);
    await dialog.getByRole('button', { name: 'Continue to Google Sheets' }).click();
    // The fake consent screen allows at once; the callback sends the browser back to /ui/.
    await page.getByRole('status').filter({ hasText: 'Connected "Order sheet"' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');
    expect(new URL(page.url()).search).toBe('');
    await page.getByRole('article', { name: 'Order sheet' }).getByText('active', { exact: true }).waitFor();
    expect(oauth.issued).toHaveLength(1);
    expect(await accountNamed('Order sheet')).toMatchObject({ system: 'google-sheets', status: 'active' });
  });

  it('the OAuth return path is the console only: another site is refused at start', async () => {
    for (const returnTo of ['https://evil.example/ui/', '//evil.example/ui/', '/ui/\\evil.example', '/other/']) {
      const res = await h.request<{ errors: { field: string }[] }>('GET', `/oauth/google-sheets/start?name=x&returnTo=${encodeURIComponent(returnTo)}`);
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([422, 'returnTo']);
    }
  });

  it('switching a functionality off lists the integration that stops and needs an OK; on again needs none', async () => {
    const page = b.page;
    const crmAccount = (await accountNamed('Sales CRM'))!;
    const shop = await h.request<{ id: string }>('POST', '/accounts', { system: 'unas', name: 'Webshop', baseUrl: unas.url, credentials: { apiKey: 'unas-test-key' } });
    await createOrderSync(h, { unasAccountId: shop.body.id, crmAccountId: crmAccount.id });

    await page.goto(`${h.api.url}/ui/#/accounts`);
    const block = page.getByRole('article', { name: 'Sales CRM' });
    const crmSwitch = block.getByRole('switch', { name: 'CRM for Sales CRM' });
    await expect(crmSwitch.getAttribute('aria-checked')).resolves.toBe('true');
    await crmSwitch.click();
    const dialog = page.getByRole('dialog', { name: 'Switch off CRM for Sales CRM?' });
    await dialog.getByText('UNAS → MiniCRM').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'accounts-switch-off');
    // The dialog holds the keyboard: Tab cycles through its buttons and never reaches the page behind.
    for (let n = 0; n < 4; n++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement?.closest("dialog") !== null')).toBe(true);
    }
    // Escape gives up: nothing changed.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await accountNamed('Sales CRM'))!.functionalities.crm).toBe(true);

    await crmSwitch.click();
    await dialog.getByRole('button', { name: 'Switch off' }).click();
    await block.locator('[role=switch][aria-checked=false][aria-label="CRM for Sales CRM"]').waitFor();
    expect((await accountNamed('Sales CRM'))!.functionalities.crm).toBe(false);

    await crmSwitch.click();
    await block.locator('[role=switch][aria-checked=true][aria-label="CRM for Sales CRM"]').waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect((await accountNamed('Sales CRM'))!.functionalities.crm).toBe(true);
  });

  it('renames in place; deleting an account in use is refused with the reason', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/accounts`);
    await page.getByRole('button', { name: 'Rename Sales CRM' }).click();
    const input = page.getByRole('textbox', { name: 'New name for Sales CRM' });
    await input.fill('Main CRM');
    await input.press('Enter');
    await page.getByRole('heading', { name: 'Main CRM' }).waitFor();
    expect(await accountNamed('Main CRM')).toBeDefined();

    await page.getByRole('button', { name: 'Delete Main CRM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Main CRM?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    const refusal = await h.request<{ detail: string }>('DELETE', `/accounts/${(await accountNamed('Main CRM'))!.id}`);
    expect(refusal.status).toBe(409);
    await dialog.getByRole('alert').filter({ hasText: refusal.body.detail }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'accounts-delete-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await accountNamed('Main CRM')).toBeDefined();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'accounts');
  });

  it('reconnecting with a wrong key shows the provider reason and the account inactive; the right key makes it active again', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/accounts`);
    const block = page.getByRole('article', { name: 'Main CRM' });
    await block.getByRole('button', { name: 'Reconnect Main CRM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reconnect Main CRM' });
    await dialog.getByLabel('System ID').fill(String(crm.systemId));
    await dialog.getByLabel('API key').fill('another-wrong-key');
    await dialog.getByRole('button', { name: 'Reconnect' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'refused' }).waitFor();
    const refused = (await accountNamed('Main CRM'))!;
    expect(refused.status).toBe('inactive');
    await dialog.getByRole('alert').filter({ hasText: refused.statusReason! }).waitFor();
    await block.locator('.reason').filter({ hasText: refused.statusReason! }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'accounts-reconnect-refused');

    await dialog.getByLabel('API key').fill(crm.apiKey);
    await dialog.getByRole('button', { name: 'Reconnect' }).click();
    await dialog.waitFor({ state: 'detached' });
    await block.getByText('active', { exact: true }).waitFor();
    expect((await accountNamed('Main CRM'))!.status).toBe('active');
  });

  it('signing out forgets the token', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/hub`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.getByLabel('API token').waitFor();
  });
});



