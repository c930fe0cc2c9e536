import { crmAutomationConfig, type CrmAutomationConfig } from '../../kinds/crm-automation/config';
import { nethuntCredentials, type NethuntCredentials } from '../../connectors/nethunt/auth';
import { worksectionCredentials, type WorksectionCredentials } from '../../connectors/worksection/auth';
import type { ConnectorContext } from '../../connectors/kit/types';
import type { ActivityDeps } from '../deps';
import { loadIntegration, type LoadedIntegration } from '../load-integration';

export interface CrmAutomationRuntime {
  integrationId: string;
  integration: LoadedIntegration;
  config: CrmAutomationConfig;
  crm: ConnectorContext<NethuntCredentials>;
  tasks: ConnectorContext<WorksectionCredentials>;
  accountIds: { nethunt: string; worksection: string };
}

/** Loads the integration's automations and opens both accounts; the workflow only passes the id. */
export async function loadCrmAutomation(deps: ActivityDeps, integrationId: string, heartbeat: (d?: unknown) => void): Promise<CrmAutomationRuntime> {
  const integration = await loadIntegration(deps, integrationId, heartbeat);
  const { row, source, target } = integration;
  return {
    integrationId,
    integration,
    config: crmAutomationConfig.parse(row.config),
    crm: { ...source.ctx, credentials: nethuntCredentials.parse(source.ctx.credentials) },
    tasks: { ...target.ctx, credentials: worksectionCredentials.parse(target.ctx.credentials) },
    accountIds: { nethunt: source.row.id, worksection: target.row.id },
  };
}
