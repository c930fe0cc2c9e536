import type { Functionality, SystemId } from '../../connectors/kit/types';
import { connectors } from '../../connectors/registry';
import type { ScenarioConfig } from './config';

/** The functionality of the scenario's trigger, and of each of its actions (the hub's toggles). */
export function scenarioUses(config: ScenarioConfig, systems: { source: SystemId; target: SystemId }): { source: Functionality[]; target: Functionality[] } {
  const source = connectors[systems.source];
  const target = connectors[systems.target];
  const trigger = source.triggers[config.trigger.trigger];
  const targetUses = config.actions.map((a) => target.actions[a.action]?.functionality ?? target.functionalities[0]!);
  return { source: [trigger?.functionality ?? source.functionalities[0]!], target: [...new Set(targetUses)] };
}
