import { GoogleOAuthFake } from '../fakes/google-oauth-fake';
import { GoogleSheetsFake } from '../fakes/google-sheets-fake';
import { startHarness, type Harness } from './harness';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON (empty when the answer is a page). */
  body: AnswerBody;
}

/** The JSON shapes the OAuth routes answer: {authorizeUrl}, {accountId, account}, or a problem. */
export interface AnswerBody {
  authorizeUrl?: string;
  accountId?: string;
  account?: { id: string; name: string; status: string; statusReason: string | null; baseUrl: string };
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export interface Seen {
  status: number;
  text: string;
  location: string | null;
}

/**
 * The real API wired to Google's two fakes: the OAuth fake issues tokens the Sheets fake accepts
 * until they expire. Every answer the API gives is kept in `seen`, for the leak checks.
 */
export async function startOAuthBed() {
  const sheets = new GoogleSheetsFake({ accessTokens: [], readsPerMinutePerUser: null, readsPerMinutePerProject: null });
  const oauth = new GoogleOAuthFake({ onTokenIssued: (token, expiresAt) => sheets.grantToken(token, expiresAt) });
  await Promise.all([sheets.start(), oauth.start()]);
  const h: Harness = await startHarness({
    noWorker: true,
    oauthClients: { 'google-sheets': { clientId: oauth.clientId, clientSecret: oauth.clientSecret, authorizeUrl: oauth.authorizeUrl, tokenUrl: oauth.tokenUrl } },
  });
  oauth.redirectUris.add(`${h.api.url}/oauth/callback`);
  const seen: Seen[] = [];

  async function fetchSeen(url: string, init: RequestInit = {}): Promise<Answer> {
    const res = await fetch(url, { redirect: 'manual', ...init });
    const text = await res.text();
    if (url.startsWith(h.api.url)) seen.push({ status: res.status, text, location: res.headers.get('location') });
    let body: AnswerBody = {};
    try {
      body = JSON.parse(text) as AnswerBody;
    } catch {
      // an HTML page
    }
    return { status: res.status, headers: res.headers, text, body };
  }

  /** GET /oauth/google-sheets/start with the API token; the answer is not followed. */
  const start = (query: string) => fetchSeen(`${h.api.url}/oauth/google-sheets/start?${query}`, { headers: { authorization: `Bearer ${h.apiToken}` } });

  /** The user's browser at Google's consent screen: where Google sends it back. */
  async function consent(authorizeUrl: string): Promise<string> {
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    const back = res.headers.get('location');
    if (res.status !== 302 || !back) throw new Error(`consent page answered ${res.status}: ${await res.text()}`);
    return back;
  }

  const callback = (url: string, accept = 'application/json') => fetchSeen(url, { headers: { accept } });

  /** The whole flow for a program: start, consent, callback with Accept: application/json. */
  async function connect(query: string, accept = 'application/json') {
    const started = await start(query);
    if (started.status !== 302) throw new Error(`start answered ${started.status}: ${started.text}`);
    const back = await consent(started.headers.get('location')!);
    return callback(back, accept);
  }

  return {
    h,
    sheets,
    oauth,
    seen,
    start,
    consent,
    callback,
    connect,
    async close() {
      await h.close();
      await Promise.all([sheets.close(), oauth.close()]);
    },
  };
}

export type OAuthBed = Awaited<ReturnType<typeof startOAuthBed>>;
