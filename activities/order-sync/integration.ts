import { eq } from 'drizzle-orm';
import { integrations } from '../../db/schema';
import { orderSyncConfig, type OrderSyncConfig } from '../../kinds/order-sync/config';
import { openAccount } from '../../connectors/accounts/open-account';
import type { ActivityDeps } from '../deps';
import { integrationGone } from '../failures';
import { minicrmCredentials, type MiniCrmCredentials } from '../../connectors/minicrm/auth';
import { unasCredentials, type UnasCredentials } from '../../connectors/unas/auth';
import type { ConnectorContext } from '../../connectors/kit/types';

export interface OrderSyncRuntime {
  integrationId: string;
  config: OrderSyncConfig;
  shop: ConnectorContext<UnasCredentials>;
  crm: ConnectorContext<MiniCrmCredentials>;
  accountIds: { unas: string; minicrm: string };
}

/** Loads an order-sync's config and opens both accounts; the workflow only ever passes the id. */
export async function loadOrderSync(deps: ActivityDeps, integrationId: string, heartbeat: (d?: unknown) => void): Promise<OrderSyncRuntime> {
  const [row] = await deps.database.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw integrationGone(`integration ${integrationId} no longer exists`);
  const config = orderSyncConfig.parse(row.config);
  const source = await openAccount(deps, row.sourceAccountId, heartbeat);
  const target = await openAccount(deps, row.targetAccountId, heartbeat);
  return {
    integrationId,
    config,
    // The contexts were validated against these same schemas in connect(); re-parsing narrows the type.
    shop: { ...source.ctx, credentials: unasCredentials.parse(source.ctx.credentials) },
    crm: { ...target.ctx, credentials: minicrmCredentials.parse(target.ctx.credentials) },
    accountIds: { unas: source.row.id, minicrm: target.row.id },
  };
}
