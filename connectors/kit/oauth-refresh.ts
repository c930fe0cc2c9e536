import type { z } from 'zod';
import { authError, isConnectorError } from './errors';
import { requestToken, type OAuthTokenFields } from './oauth2';
import type { ConnectorContext } from './types';

/** A token this close to its expiry is renewed before use: a call can take a while to reach the provider. */
export const REFRESH_MARGIN_MS = 60_000;

const expiresSoon = (c: OAuthTokenFields) => c.expiresAt !== undefined && Date.parse(c.expiresAt) - Date.now() < REFRESH_MARGIN_MS;

/**
 * Renews the access token of an OAuth account when it is about to expire, or once the provider
 * refused it (`refused` = the token it refused). Returns true when the context now holds another
 * token. The stored credentials are read again first: another worker may have renewed them
 * already, and its token is taken rather than spending a second refresh (two refreshes at once
 * both succeed at Google, so last write wins is harmless). invalid_grant (a revoked or expired
 * refresh token) is an auth error with the provider's words, so the account goes inactive.
 */
export async function refreshIfDue<C extends OAuthTokenFields>(
  ctx: ConnectorContext<C>,
  schema: z.ZodType<C>,
  options: { refused?: string } = {},
): Promise<boolean> {
  const { refused } = options;
  if (!ctx.credentials.refreshToken || (refused === undefined && !expiresSoon(ctx.credentials))) return false;
  let current = ctx.credentials;
  if (ctx.credentialStore) {
    const stored = schema.safeParse(await ctx.credentialStore.load());
    if (stored.success) {
      current = stored.data;
      const theirs = stored.data.accessToken;
      if (theirs && theirs !== (refused ?? ctx.credentials.accessToken) && !expiresSoon(stored.data)) {
        adopt(ctx, stored.data);
        return true;
      }
    }
  }
  const client = ctx.oauthClient;
  const refreshToken = current.refreshToken;
  if (!client || !refreshToken) {
    // Without a client the old token is still tried until the provider refuses it.
    if (refused === undefined) return false;
    throw authError(ctx.http.system, `the access token was refused and cannot be renewed: ${client ? 'no refresh token is stored' : 'no OAuth client is configured for this system (see "Connecting by OAuth" in the README)'}`);
  }
  ctx.http.addSecret(refreshToken);
  let tokens;
  try {
    tokens = await requestToken(client, { grant_type: 'refresh_token', refresh_token: refreshToken });
  } catch (e) {
    if (isConnectorError(e) && e.kind === 'auth') throw authError(e.system, `the access token could not be renewed; reconnect the account (GET /oauth/${e.system}/start): ${e.message}`, e.details.status);
    throw e;
  }
  const next: C = { ...current, accessToken: tokens.accessToken, expiresAt: tokens.expiresAt, refreshToken: tokens.refreshToken ?? refreshToken };
  await ctx.credentialStore?.save(next);
  adopt(ctx, next);
  return true;
}

function adopt<C extends OAuthTokenFields>(ctx: ConnectorContext<C>, next: C): void {
  for (const secret of [next.accessToken, next.refreshToken]) if (secret) ctx.http.addSecret(secret);
  ctx.credentials = next;
}
