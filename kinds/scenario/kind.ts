import { defineKind } from '../define-kind';
import { scenarioTriggerBoundary } from './boundary';
import { checkScenario } from './checks';
import { scenarioConfig, withActionIds } from './config';
import { scenarioUses } from './uses';

export const scenario = defineKind({
  kind: 'scenario',
  description: 'A trigger of one account runs actions on another, e.g. a new SUMIT customer gets an invoice and joins a mailing list',
  source: ['sumit', 'nethunt', 'google-sheets', 'unas', 'worksection'],
  target: ['sumit', 'sare', '8x8', 'nethunt', 'worksection'],
  config: scenarioConfig,
  withIds: (config, saved) => ({ ...config, actions: withActionIds(config.actions, saved?.actions) }),
  immutable: [],
  check: checkScenario,
  boundary: scenarioTriggerBoundary,
  uses: (config, systems) => scenarioUses(scenarioConfig.parse(config), systems),
  counts: {
    fetched: 'records the trigger reported',
    created: 'records whose actions all ran',
    updated: 'not used',
    unchanged: 'not used',
    held: 'records held at a step (see deliveries)',
    failed: 'records that failed',
  },
  workflow: 'scenarioWorkflow',
});
