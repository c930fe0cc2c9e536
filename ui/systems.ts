import type { Api } from './api-client';
import type { SystemView } from './api-types';

let cached: Promise<SystemView[]> | undefined;
/** The catalogue never changes while the service runs: asked once per page load. */
export function loadSystems(api: Api): Promise<SystemView[]> {
  cached ??= api<{ items: SystemView[] }>('GET', '/systems').then(
    (r) => r.items,
    (e: unknown) => {
      cached = undefined;
      throw e;
    },
  );
  return cached;
}

export const isOAuth = (system: Pick<SystemView, 'auth'> | { authType: string }) => ('auth' in system ? system.auth.type : system.authType) === 'oauth2';

/** A key-based system that also connects by OAuth (Worksection): the console offers both ways. */
export const offersBoth = (system: Pick<SystemView, 'auth'> | { authType: string; oauth?: boolean }) =>
  !isOAuth(system) && ('auth' in system ? system.auth.oauth : system.oauth) === true;

/** Credential fields the OAuth callback fills in: a key form of a system that offers both leaves them out. */
export const OAUTH_TOKEN_FIELDS: readonly string[] = ['authType', 'accessToken', 'refreshToken', 'expiresAt'];
