import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api-client';
import type { Account } from '../api-types';

/** After an OAuth connection: which account came back and whether its check passed. */
export function Notice({ api, accountId }: { api: Api; accountId: string }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [gone, setGone] = useState(false);
  useEffect(() => {
    api<Account>('GET', `/accounts/${encodeURIComponent(accountId)}`).then(setAccount, () => setGone(true));
  }, [api, accountId]);
  if (gone || !account) return null;
  return (
    <p class={account.status === 'inactive' ? 'notice notice-warn' : 'notice'} role="status">
      {account.status === 'inactive' ? `Connected "${account.name}", but its check failed: ${account.statusReason ?? 'no reason given'}` : `Connected "${account.name}".`}
    </p>
  );
}
