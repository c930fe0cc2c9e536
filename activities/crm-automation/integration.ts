import { eq } from 'drizzle-orm';
import { integrations } from '../../db/schema';
import { crmAutomationConfig, type CrmAutomationConfig } from '../../kinds/crm-automation/config';
import { openAccount } from '../../connectors/accounts/open-account';
import { nethuntCredentials, type NethuntCredentials } from '../../connectors/nethunt/auth';
import { worksectionCredentials, type WorksectionCredentials } from '../../connectors/worksection/auth';
import type { ConnectorContext } from '../../connectors/kit/types';
import type { ActivityDeps } from '../deps';
import { integrationGone } from '../failures';

export interface CrmAutomationRuntime {
  integrationId: string;
  config: CrmAutomationConfig;
  crm: ConnectorContext<NethuntCredentials>;
  tasks: ConnectorContext<WorksectionCredentials>;
  accountIds: { nethunt: string; worksection: string };
}

/** Loads the integration's automations and opens both accounts; the workflow only passes the id. */
export async function loadCrmAutomation(deps: ActivityDeps, integrationId: string, heartbeat: (d?: unknown) => void): Promise<CrmAutomationRuntime> {
  const [row] = await deps.database.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw integrationGone(`integration ${integrationId} no longer exists`);
  const source = await openAccount(deps, row.sourceAccountId, heartbeat);
  const target = await openAccount(deps, row.targetAccountId, heartbeat);
  return {
    integrationId,
    config: crmAutomationConfig.parse(row.config),
    crm: { ...source.ctx, credentials: nethuntCredentials.parse(source.ctx.credentials) },
    tasks: { ...target.ctx, credentials: worksectionCredentials.parse(target.ctx.credentials) },
    accountIds: { nethunt: source.row.id, worksection: target.row.id },
  };
}
