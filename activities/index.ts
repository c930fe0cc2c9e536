import type { ActivityDeps } from './deps';
import { createCrmAutomationActivities } from './crm-automation/activities';
import { createDependentsActivities } from './dependents';
import { createOrderSyncActivities, type OrderSyncActivityOptions } from './order-sync/activities';
import { createScenarioActivities } from './scenario/activities';
import { createSmsSendActivities, type SmsSendActivityOptions } from './sms-send/activities';

export interface ActivityOptions {
  orderSync?: OrderSyncActivityOptions;
  smsSend?: SmsSendActivityOptions;
}

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps, options: ActivityOptions = {}) {
  return {
    ...createOrderSyncActivities(deps, options.orderSync),
    ...createCrmAutomationActivities(deps),
    ...createDependentsActivities(deps),
    ...createSmsSendActivities(deps, options.smsSend),
    ...createScenarioActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
