import { CONSOLE_CSP } from '../../api/console';
import { startOAuthBed, type OAuthBed } from '../support/oauth-flow';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** How the API serves the console and brings an OAuth connection back to it, over plain HTTP (no browser needed). */
describe('serving the console', () => {
  let bed: OAuthBed;
  beforeAll(async () => {
    bed = await startOAuthBed();
  });
  afterAll(() => bed?.close());
  const url = (path: string) => `${bed.h.api.url}${path}`;

  it('a browser asking / for a page is sent to /ui/; programs keep the API answer', async () => {
    const page = await fetch(url('/'), { headers: { accept: BROWSER_ACCEPT }, redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/ui/']);
    for (const accept of ['application/json', '*/*']) {
      const api = await fetch(url('/'), { headers: { accept }, redirect: 'manual' });
      expect(api.status).toBe(401);
      expect(api.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('the page, its script and stylesheet load without a token, under a CSP allowing only its own files', async () => {
    const index = await fetch(url('/ui/'));
    const html = await index.text();
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    // Nothing inline and nothing from elsewhere: every script and stylesheet is one of ours.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/ui\/)[^>]*>/);
    expect(html).not.toMatch(/<style/);
    expect(html).not.toMatch(/https?:\/\//);
    const js = await fetch(url('/ui/console.js'));
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await js.text()).length).toBeGreaterThan(1000);
    const css = await fetch(url('/ui/console.css'));
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    expect((await fetch(url('/ui/nothing.js'))).status).toBe(404);
    const settings = (await (await fetch(url('/ui/settings.json'))).json()) as Record<string, unknown>;
    expect(settings).toEqual({ temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'default' });
  });

  it('the OAuth start answers a page script with the URL; the callback sends the browser back to the console with the account', async () => {
    const started = await fetch(url(`/oauth/google-sheets/start?name=Sheet&baseUrl=${encodeURIComponent(bed.sheets.url)}&returnTo=${encodeURIComponent('/ui/#/accounts')}`), {
      headers: { authorization: `Bearer ${bed.h.apiToken}`, accept: 'application/json' },
      redirect: 'manual',
    });
    expect(started.status).toBe(200);
    const { authorizeUrl } = (await started.json()) as { authorizeUrl: string };
    const back = await bed.consent(authorizeUrl);
    const landed = await fetch(back, { headers: { accept: BROWSER_ACCEPT }, redirect: 'manual' });
    expect(landed.status).toBe(303);
    const location = landed.headers.get('location')!;
    expect(location).toMatch(/^\/ui\/\?connected=[0-9a-f-]{36}#\/accounts$/);
    const id = new URLSearchParams(location.slice(location.indexOf('?'), location.indexOf('#'))).get('connected')!;
    expect((await bed.h.request<{ name: string; status: string }>('GET', `/accounts/${id}`)).body).toMatchObject({ name: 'Sheet', status: 'active' });
  });

  it('a return path off the console is refused at start, naming the field', async () => {
    for (const returnTo of ['https://evil.example/ui/', '//evil.example/ui/', '/ui/\\\\evil.example', '/ui/../oauth/x', '/other/', 'ui/']) {
      const res = await bed.h.request<{ errors: { field: string; message: string }[] }>('GET', `/oauth/google-sheets/start?name=x&returnTo=${encodeURIComponent(returnTo)}`);
      expect([returnTo, res.status, res.body.errors?.[0]?.field]).toEqual([returnTo, 422, 'returnTo']);
    }
  });
});
