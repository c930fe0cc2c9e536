import { ApiError, type Api } from './api-client';
import type { Account } from './api-types';
import type { CredentialValues } from './components/credential-form';

/** Where the OAuth callback sends the browser back to: the used-systems page, which then shows the account. */
export const OAUTH_RETURN_TO = '/ui/#/accounts';

/**
 * The provider is asked at once (POST /accounts/:id/check). Credentials it refuses are not kept:
 * the user sees the provider's reason and tries again, with no broken account left behind.
 */
export async function connectWithKey(api: Api, system: string, values: CredentialValues): Promise<Account> {
  const created = await api<Account>('POST', '/accounts', { system, ...values });
  if (created.status !== 'unchecked') return created;
  let checked: Account;
  try {
    checked = await api<Account>('POST', `/accounts/${created.id}/check`);
  } catch (e) {
    await api('DELETE', `/accounts/${created.id}`).catch(() => undefined);
    throw e;
  }
  if (checked.status === 'inactive') {
    await api('DELETE', `/accounts/${created.id}`).catch(() => undefined);
    throw new ApiError(422, { detail: `The provider refused these credentials: ${checked.statusReason ?? 'no reason given'}` });
  }
  return checked;
}

/** New credentials for an account, checked at once; a refusal is shown and the account stays inactive with its reason. */
export async function reconnectWithKey(api: Api, account: Account, credentials: Record<string, unknown>): Promise<Account> {
  await api<Account>('PATCH', `/accounts/${account.id}`, { credentials });
  const checked = await api<Account>('POST', `/accounts/${account.id}/check`);
  if (checked.status === 'inactive') throw new ApiError(422, { detail: `The provider refused these credentials: ${checked.statusReason ?? 'no reason given'}` });
  return checked;
}

/** Sends the browser to the provider's consent page; the API's callback brings it back to the console. */
export async function startOAuth(api: Api, system: string, query: { name?: string; baseUrl?: string; accountId?: string }): Promise<void> {
  const params = new URLSearchParams({ returnTo: OAUTH_RETURN_TO });
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const { authorizeUrl } = await api<{ authorizeUrl: string }>('GET', `/oauth/${encodeURIComponent(system)}/start?${params.toString()}`);
  location.assign(authorizeUrl);
}
