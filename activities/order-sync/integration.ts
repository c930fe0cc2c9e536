import { orderSyncConfig, type OrderSyncConfig } from '../../kinds/order-sync/config';
import type { ActivityDeps } from '../deps';
import { loadIntegration, type LoadedIntegration } from '../load-integration';
import { minicrmCredentials, type MiniCrmCredentials } from '../../connectors/minicrm/auth';
import { unasCredentials, type UnasCredentials } from '../../connectors/unas/auth';
import type { ConnectorContext } from '../../connectors/kit/types';

export interface OrderSyncRuntime {
  integrationId: string;
  integration: LoadedIntegration;
  config: OrderSyncConfig;
  shop: ConnectorContext<UnasCredentials>;
  crm: ConnectorContext<MiniCrmCredentials>;
  accountIds: { unas: string; minicrm: string };
}

/** Loads an order-sync's config and opens both accounts; the workflow only ever passes the id. */
export async function loadOrderSync(deps: ActivityDeps, integrationId: string, heartbeat: (d?: unknown) => void): Promise<OrderSyncRuntime> {
  const integration = await loadIntegration(deps, integrationId, heartbeat);
  const { row, source, target } = integration;
  const config = orderSyncConfig.parse(row.config);
  return {
    integrationId,
    integration,
    config,
    // The contexts were validated against these same schemas in connect(); re-parsing narrows the type.
    shop: { ...source.ctx, credentials: unasCredentials.parse(source.ctx.credentials) },
    crm: { ...target.ctx, credentials: minicrmCredentials.parse(target.ctx.credentials) },
    accountIds: { unas: source.row.id, minicrm: target.row.id },
  };
}
