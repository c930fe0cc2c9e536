import { defineKind } from '../define-kind';
import { crmAutomationBoundary } from './boundary';
import { checkCrmAutomation } from './checks';
import { crmAutomationConfig, describeAutomations, withAutomationIds } from './config';

export const crmAutomation = defineKind({
  kind: 'crm-automation',
  description: 'A CRM record reaching a value creates a task; closing the task writes back (NetHunt → Worksection)',
  source: ['nethunt'],
  target: ['worksection'],
  config: crmAutomationConfig,
  withIds: (config, saved) => ({ ...config, automations: withAutomationIds(config.automations, saved?.automations) }),
  immutable: [],
  check: checkCrmAutomation,
  boundary: crmAutomationBoundary,
  deletes: (config) => describeAutomations(crmAutomationConfig.parse(config)),
  uses: () => ({ source: ['crm'], target: ['tasks'] }),
  counts: {
    fetched: 'records read',
    created: 'tasks created',
    updated: 'values written back from closed tasks',
    unchanged: 'records looked at, nothing to do',
    held: 'records waiting for their project',
    failed: 'records that failed',
  },
  workflow: 'crmAutomationWorkflow',
});
