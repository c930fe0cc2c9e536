import { ConfigError, loadConfig } from '../../lib/config';
import { oauthClientsFromConfig } from '../../connectors/oauth-clients';

const base = { API_TOKEN: 'x'.repeat(16), DATABASE_URL: 'postgres://db/app', ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` };
const clients = (env: Record<string, string>) => oauthClientsFromConfig(loadConfig({ ...base, ...env }));

describe('OAuth client configuration', () => {
  it('is off when unset or empty (docker compose passes "" for an unset variable)', () => {
    expect(clients({})).toEqual({});
    expect(clients({ GOOGLE_OAUTH_CLIENT_ID: '', GOOGLE_OAUTH_CLIENT_SECRET: '' })).toEqual({});
  });

  it('gives Google Sheets its client, with endpoint overrides', () => {
    expect(clients({ GOOGLE_OAUTH_CLIENT_ID: 'id.apps.googleusercontent.com', GOOGLE_OAUTH_CLIENT_SECRET: 'GOCSPX-s', GOOGLE_OAUTH_TOKEN_URL: 'http://127.0.0.1:9/token' })).toEqual({
      'google-sheets': { clientId: 'id.apps.googleusercontent.com', clientSecret: 'GOCSPX-s', authorizeUrl: undefined, tokenUrl: 'http://127.0.0.1:9/token' },
    });
  });

  it('refuses half a client or a bad URL, naming the variable', () => {
    expect(() => clients({ GOOGLE_OAUTH_CLIENT_ID: 'id' })).toThrow(ConfigError);
    expect(() => clients({ GOOGLE_OAUTH_CLIENT_ID: 'id' })).toThrow(/GOOGLE_OAUTH_CLIENT_SECRET: required when GOOGLE_OAUTH_CLIENT_ID is set/);
    expect(() => clients({ GOOGLE_OAUTH_CLIENT_SECRET: 's' })).toThrow(/GOOGLE_OAUTH_CLIENT_ID: required/);
    expect(() => clients({ GOOGLE_OAUTH_AUTHORIZE_URL: 'ftp://x/auth' })).toThrow(/GOOGLE_OAUTH_AUTHORIZE_URL/);
  });
});
