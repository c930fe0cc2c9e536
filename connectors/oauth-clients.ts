import type { OAuthClients } from './kit/oauth2';
import type { SystemId } from './kit/types';
import { ConfigError, type AppConfig } from '../lib/config';

type OAuthEnv = Pick<
  AppConfig,
  | 'GOOGLE_OAUTH_CLIENT_ID'
  | 'GOOGLE_OAUTH_CLIENT_SECRET'
  | 'GOOGLE_OAUTH_AUTHORIZE_URL'
  | 'GOOGLE_OAUTH_TOKEN_URL'
  | 'WORKSECTION_OAUTH_CLIENT_ID'
  | 'WORKSECTION_OAUTH_CLIENT_SECRET'
  | 'WORKSECTION_OAUTH_AUTHORIZE_URL'
  | 'WORKSECTION_OAUTH_TOKEN_URL'
>;

/** The environment variables of each system's OAuth client: one Google client serves every Google connector. */
export const OAUTH_ENV = {
  'google-sheets': { clientId: 'GOOGLE_OAUTH_CLIENT_ID', clientSecret: 'GOOGLE_OAUTH_CLIENT_SECRET', authorizeUrl: 'GOOGLE_OAUTH_AUTHORIZE_URL', tokenUrl: 'GOOGLE_OAUTH_TOKEN_URL' },
  worksection: { clientId: 'WORKSECTION_OAUTH_CLIENT_ID', clientSecret: 'WORKSECTION_OAUTH_CLIENT_SECRET', authorizeUrl: 'WORKSECTION_OAUTH_AUTHORIZE_URL', tokenUrl: 'WORKSECTION_OAUTH_TOKEN_URL' },
} as const satisfies Partial<Record<SystemId, Record<'clientId' | 'clientSecret' | 'authorizeUrl' | 'tokenUrl', keyof OAuthEnv>>>;

/** What to set for a system to connect by OAuth, for the error that says so. */
export function oauthEnvNames(system: string): string[] {
  const names = Object.entries(OAUTH_ENV).find(([id]) => id === system)?.[1];
  return names ? [names.clientId, names.clientSecret] : [];
}

/** OAuth clients by system id; a client id without its secret (or the reverse) fails at start, naming both. */
export function oauthClientsFromConfig(config: Partial<OAuthEnv>): OAuthClients {
  const clients: OAuthClients = {};
  for (const [system, names] of Object.entries(OAUTH_ENV)) {
    const clientId = config[names.clientId];
    const clientSecret = config[names.clientSecret];
    if (!clientId && !clientSecret) continue;
    if (!clientId || !clientSecret) throw new ConfigError(`Invalid configuration in the environment:\n  ${clientId ? names.clientSecret : names.clientId}: required when ${clientId ? names.clientId : names.clientSecret} is set`);
    clients[system] = { clientId, clientSecret, authorizeUrl: config[names.authorizeUrl], tokenUrl: config[names.tokenUrl] };
  }
  return clients;
}
