import { scenarioConfig, type ScenarioConfig } from '../../kinds/scenario/config';
import { validationError } from '../../connectors/kit/errors';
import type { AnyConnector, ConnectorContext, TriggerDefinition } from '../../connectors/kit/types';
import type { ActivityDeps } from '../deps';
import { loadIntegration, type LoadedIntegration } from '../load-integration';
import type { Target } from './run-actions';

export interface ScenarioRuntime {
  integrationId: string;
  integration: LoadedIntegration;
  config: ScenarioConfig;
  source: { connector: AnyConnector; ctx: ConnectorContext<Record<string, unknown>> };
  trigger: TriggerDefinition<Record<string, unknown>>;
  target: Target;
  accountIds: Record<string, string>;
}

/** Loads the scenario and opens its accounts inside the activity; the workflow only passes the id. */
export async function loadScenario(deps: ActivityDeps, integrationId: string, heartbeat: (d?: unknown) => void): Promise<ScenarioRuntime> {
  const integration = await loadIntegration(deps, integrationId, heartbeat);
  const { row, source, target } = integration;
  const config = scenarioConfig.parse(row.config);
  const trigger = source.connector.triggers[config.trigger.trigger];
  if (!trigger) throw validationError(source.connector.id, `${source.connector.name} has no trigger "${config.trigger.trigger}"`);
  return {
    integrationId,
    integration,
    config,
    source: { connector: source.connector, ctx: source.ctx },
    trigger,
    target: { connector: target.connector, ctx: target.ctx },
    // Target last: when both accounts are of one system, a refused key is more often the target's.
    accountIds: { [source.row.system]: source.row.id, [target.row.system]: target.row.id },
  };
}
