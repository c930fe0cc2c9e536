import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { connectAccount, openCredentials } from '../../connectors/accounts/open-account';
import { egressFor, egressRefusal, sameOrigin } from '../../connectors/kit/egress';
import { isConnectorError } from '../../connectors/kit/errors';
import { authorizeUrl, pkcePair, requestToken, resolveOAuthClient, type OAuthClient, type OAuthTokens } from '../../connectors/kit/oauth2';
import { cut } from '../../connectors/kit/redact';
import type { AnyConnector, ConnectorContext } from '../../connectors/kit/types';
import { getConnector } from '../../connectors/registry';
import { accounts, type AccountRow } from '../../db/schema';
import { oauthEnvNames } from '../../connectors/oauth-clients';
import type { ApiDeps } from '../deps';
import { sendFailurePage, sendOutcomePage, wantsJson } from '../oauth-page';
import { openState, sealState, type OAuthState } from '../oauth-state';
import { consoleReturnTo, returnUrl } from '../oauth-return';
import { fieldErrors, HttpProblem, notFound, unprocessable } from '../problem';
import { viewAccount } from '../views';

/** The request path as logged: the code and state of a callback (and the state of a start's redirect) stay out of logs. */
export const redactOAuthParams = (url: unknown) => (typeof url === 'string' ? url.replace(/([?&](?:code|state|code_challenge)=)[^&#]*/g, '$1[redacted]') : url);

export const oauthStartQuery = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional().describe('Name of the new account'),
    accountId: z.uuid('an account id (UUID)').optional().describe('An account of this system to reconnect (its tokens are replaced)'),
    baseUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional().describe("The provider's API address; defaults to the system's real one"),
    returnTo: consoleReturnTo.optional().describe('A console path (/ui/…) the browser is sent back to once connected, with ?connected=<account id>'),
  })
  .superRefine((q, issues) => {
    if (!q.name && !q.accountId) issues.addIssue({ code: 'custom', path: ['name'], message: 'give the new account a name, or accountId to reconnect an account' });
  });

export const callbackQuery = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

const redirectUri = (deps: ApiDeps) => `${deps.publicUrl?.() ?? ''}/oauth/callback`;

function oauthOf(deps: ApiDeps, system: string): { connector: AnyConnector & Required<Pick<AnyConnector, 'oauth'>>; client: OAuthClient } {
  const connector = getConnector(system);
  const oauth = connector?.oauth;
  if (!connector || !oauth) {
    const detail = connector ? `${connector.name} ("${system}") does not connect by OAuth` : `no system "${system.slice(0, 100)}"`;
    throw new HttpProblem(404, 'Not Found', detail, [{ field: 'system', message: connector ? 'does not connect by OAuth' : 'no such system' }]);
  }
  const client = resolveOAuthClient(connector, deps.oauthClients, deps.egress);
  if (!client) {
    throw new HttpProblem(503, 'Service Unavailable', `OAuth for ${connector.name} is not configured on this server: set ${oauthEnvNames(system).join(' and ')} (the OAuth client registered at the provider)`);
  }
  return { connector: { ...connector, oauth }, client };
}

async function loadAccount(deps: ApiDeps, id: string): Promise<AccountRow | undefined> {
  const [row] = await deps.database.db.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

/** GET /oauth/:system/start, behind the API token: where to send the user's browser. */
export function oauthStartRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/:system/start', async (req, res) => {
    const system = String(req.params.system);
    const { connector, client } = oauthOf(deps, system);
    const parsed = oauthStartQuery.safeParse(req.query);
    if (!parsed.success) throw unprocessable(fieldErrors(parsed.error));
    const { name, accountId, baseUrl, returnTo } = parsed.data;
    const refusal = baseUrl === undefined ? undefined : egressRefusal(baseUrl, egressFor(connector, deps.egress));
    if (refusal) throw unprocessable([{ field: 'baseUrl', message: refusal }]);
    if (accountId) {
      const row = await loadAccount(deps, accountId);
      if (!row) throw notFound('account', accountId, 'accountId');
      if (row.system !== system) throw unprocessable([{ field: 'accountId', message: `account ${accountId} is a ${row.system} account, not ${system}` }]);
    }
    const pkce = connector.oauth.pkce ? pkcePair() : undefined;
    const state = sealState(deps.secretBox, { system, name, accountId, baseUrl, returnTo, verifier: pkce?.verifier });
    const url = authorizeUrl(client, connector.oauth, { redirectUri: redirectUri(deps), state, codeChallenge: pkce?.challenge });
    // A page's script cannot read a redirect's body: asking for JSON alone gets the URL as a 200.
    if (req.accepts(['html', 'json']) === 'json' && !req.accepts('html')) res.json({ authorizeUrl: url });
    else res.status(302).location(url).json({ authorizeUrl: url });
  });
  return router;
}

/** GET /oauth/callback, public (the provider redirects the browser here): errors are pages for the person who clicked. */
export function oauthCallbackRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/callback', async (req, res) => {
    try {
      await callback(deps, req, res);
    } catch (e) {
      if (!(e instanceof HttpProblem)) throw e;
      sendFailurePage(req, res, e.status, e.title, e.message, e.errors);
    }
  });
  return router;
}

async function callback(deps: ApiDeps, req: Request, res: Response): Promise<void> {
  const parsed = callbackQuery.safeParse(req.query);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    throw new HttpProblem(400, 'Bad Request', `not an OAuth callback: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
  }
  const q = parsed.data;
  const bad = (field: string, detail: string, title = 'Bad Request') => new HttpProblem(400, title, detail, [{ field, message: detail }]);
  if (q.error === 'access_denied') throw bad('error', 'access was not granted (error=access_denied): nothing was connected; start again to retry', 'Access denied');
  // The provider's words are echoed, cut: anyone can open this URL with any query.
  if (q.error) throw bad('error', `the provider answered error=${cut(q.error)}${q.error_description ? ` (${cut(q.error_description)})` : ''}: nothing was connected`);
  if (!q.state) throw bad('state', 'the state parameter is missing');
  if (!q.code) throw bad('code', 'the code parameter is missing');
  const opened = openState(deps.secretBox, q.state);
  if (!opened.ok) throw bad('state', opened.reason);
  const state = opened.state;
  const { connector, client } = oauthOf(deps, state.system);
  const previous = state.accountId ? await loadAccount(deps, state.accountId) : undefined;
  if (state.accountId && !previous) throw new HttpProblem(404, 'Not Found', `account ${state.accountId} was deleted while connecting`);

  const tokens = await exchange(client, connector, q.code, redirectUri(deps), state);
  const baseUrl = answeredBaseUrl(deps, connector, tokens) ?? state.baseUrl;
  // What the account kept (an API key beside the tokens) stays only when its base URL does not move elsewhere.
  const kept = previous && (!baseUrl || sameOrigin(baseUrl, previous.baseUrl)) ? openCredentials(deps.secretBox, previous) : undefined;
  const credentials = connector.auth.schema.safeParse(connector.oauth.toCredentials(tokens, kept));
  if (!credentials.success) throw new HttpProblem(502, 'Bad Gateway', `${connector.name} answered tokens this service cannot use: ${credentials.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);

  const id = previous?.id ?? randomUUID();
  const sealed = deps.secretBox.seal(credentials.data, id);
  const fields = { credentialsKeyId: sealed.keyId, credentialsData: sealed.data, status: 'unchecked' as const, statusReason: null, updatedAt: new Date() };
  const [row] = previous
    ? await deps.database.db
        .update(accounts)
        .set({ ...fields, ...(state.name && { name: state.name }), ...(baseUrl && { baseUrl }) })
        .where(eq(accounts.id, id))
        .returning()
    : await deps.database.db
        .insert(accounts)
        .values({ id, system: connector.id, name: state.name ?? connector.name, baseUrl: baseUrl ?? connector.defaultBaseUrl, limits: {}, ...fields })
        .returning();
  const checked = await check(deps, connector, row!);
  const done = checked.status === 'active' ? [`Connected ${checked.name}; you can close this window.`] : [`Connected ${checked.name}, but its check failed: ${checked.statusReason ?? 'no answer'}.`];
  // Back to the console the user started from; the path was checked to be the console's own at start.
  if (state.returnTo && !wantsJson(req)) return void res.redirect(303, returnUrl(state.returnTo, checked.id));
  sendOutcomePage(req, res, { accountId: checked.id, account: viewAccount(checked) }, `Connected ${checked.name}`, [...done, `Account id: ${checked.id}`]);
}

/** The account address a token answer names (Worksection's account_url), once it is one the connector may reach. */
function answeredBaseUrl(deps: ApiDeps, connector: AnyConnector & Required<Pick<AnyConnector, 'oauth'>>, tokens: OAuthTokens): string | undefined {
  const answered = connector.oauth.baseUrlOf?.(tokens);
  if (answered === undefined) return undefined;
  const refusal = egressRefusal(answered, egressFor(connector, deps.egress));
  if (refusal) throw new HttpProblem(502, 'Bad Gateway', `${connector.name} named an account address this service may not reach: ${cut(refusal)}; nothing was connected`);
  return answered.replace(/\/+$/, '');
}

/** Authorization code → tokens (RFC 6749 §4.1.3, with the PKCE verifier). A used or expired code is the user's to retry. */
async function exchange(client: OAuthClient, connector: AnyConnector, code: string, redirect: string, state: OAuthState): Promise<OAuthTokens> {
  try {
    return await requestToken(client, { grant_type: 'authorization_code', code, redirect_uri: redirect, ...(state.verifier && { code_verifier: state.verifier }) });
  } catch (e) {
    if (!isConnectorError(e)) throw e;
    if (e.details.providerCode === 'invalid_grant') throw new HttpProblem(400, 'Bad Request', `${connector.name} refused the authorization code: ${cut(e.message)}; start the connection again`);
    throw new HttpProblem(502, 'Bad Gateway', `${connector.name} did not exchange the authorization code: ${cut(e.message)}`);
  }
}

/** The connector's own check, as POST /accounts/:id/check runs it; an outage leaves the account unchecked. */
async function check(deps: ApiDeps, connector: AnyConnector, row: AccountRow): Promise<AccountRow> {
  let status: 'active' | 'inactive';
  let reason: string | null = null;
  let ctx: ConnectorContext<Record<string, unknown>> | undefined;
  try {
    ctx = connectAccount(deps, connector, row, { timeoutMs: 15_000 });
    await connector.check(ctx);
    status = 'active';
  } catch (e) {
    if (!isConnectorError(e)) throw e;
    if (e.kind !== 'auth' && e.kind !== 'validation' && e.kind !== 'not-found') return row;
    status = 'inactive';
    reason = cut(ctx ? ctx.http.scrub(e.message) : e.message);
  }
  const [updated] = await deps.database.db.update(accounts).set({ status, statusReason: reason, checkedAt: new Date(), updatedAt: new Date() }).where(eq(accounts.id, row.id)).returning();
  return updated!;
}
