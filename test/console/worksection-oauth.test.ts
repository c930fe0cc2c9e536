import { WorksectionFake } from '../fakes/worksection-fake';
import { describeInBrowser, openBrowser, screenshots, seriousViolations, signIn, type BrowserSession } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';

interface Account {
  id: string;
  name: string;
  system: string;
  status: string;
  baseUrl: string;
}

/**
 * Worksection takes its admin key or OAuth: the console offers both ways, and "Sign in with
 * Worksection" goes through its consent (the fake) and comes back with the account shown.
 */
describeInBrowser('console: Worksection by key or by OAuth', __filename, () => {
  let h: Harness;
  let b: BrowserSession;
  const ws = new WorksectionFake({ requestsPerSecond: null });

  const accountNamed = async (name: string) => (await h.request<{ items: Account[] }>('GET', '/accounts')).body.items.find((a) => a.name === name);

  beforeAll(async () => {
    await ws.start();
    h = await startHarness({ noWorker: true, oauthClients: { worksection: { clientId: ws.clientId, clientSecret: ws.clientSecret, authorizeUrl: ws.authorizeUrl, tokenUrl: ws.tokenUrl } } });
    ws.redirectUris.add(`${h.api.url}/oauth/callback`);
    b = await openBrowser();
    await signIn(b.page, h.api.url, h.apiToken);
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
    await ws.close();
  });
  afterEach(() => {
    expect(b.pageErrors.splice(0)).toEqual([]);
  });

  it('Connect offers the key form and "Sign in with Worksection"; signing in comes back to the console with the account shown', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/hub`);
    await page.getByRole('button', { name: /^Tasks/ }).click();
    await page.getByText('Connect with an API key or sign in with the provider').waitFor();
    await page.getByRole('button', { name: 'Connect Worksection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect Worksection' });

    // The key way first (the default): only the admin key is asked, no token fields.
    await dialog.getByRole('radio', { name: 'Admin API key' }).waitFor();
    expect(await dialog.getByRole('radio', { name: 'Admin API key' }).isChecked()).toBe(true);
    await expect(dialog.getByLabel(/^API key/).getAttribute('type')).resolves.toBe('password');
    expect(await dialog.getByLabel(/^API key/).getAttribute('required')).not.toBeNull();
    expect(await dialog.getByLabel('Access token').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'worksection-connect-key');

    await dialog.getByRole('radio', { name: 'Sign in with Worksection' }).check();
    await dialog.getByLabel('Account name').fill('Acme tasks');
    expect(await dialog.getByLabel('Base URL (optional)').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'worksection-connect-oauth');
    await dialog.getByRole('button', { name: 'Continue to Worksection' }).click();

    // The fake consent allows at once; the callback sends the browser back to the console.
    await page.getByRole('status').filter({ hasText: 'Connected "Acme tasks"' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await page.getByRole('article', { name: 'Acme tasks' }).getByText('active', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'worksection-connected');
    expect(ws.issued).toHaveLength(1);
    expect(await accountNamed('Acme tasks')).toMatchObject({ system: 'worksection', status: 'active', baseUrl: ws.url });
    // The account's check went to the user API with the token Worksection issued.
    expect(ws.calls.filter((c) => c.path === '/api/oauth2').map((c) => [c.status, c.headers.authorization])).toEqual([[200, `Bearer ${ws.issued[0]!.accessToken}`]]);
  });
});
