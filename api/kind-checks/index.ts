import type { AccountRow } from '../../db/schema';
import type { Kind } from '../../lib/kinds';
import type { ApiDeps } from '../deps';
import type { FieldError } from '../problem';
import { checkCrmAutomation } from './crm-automation';
import { checkScenario } from './scenario';
import { checkSmsSend } from './sms-send';

export interface KindCheckContext {
  deps: ApiDeps;
  source: AccountRow;
  target: AccountRow;
}

/**
 * Checks of a kind's config that need the accounts (does the folder, the column, the project
 * exist?), run by the API after the schema and before saving: a mistake is a 422 naming the
 * config field now, not a failed run later. A provider that can't be reached is a 502.
 */
export type KindCheck = (config: Record<string, unknown>, ctx: KindCheckContext) => Promise<FieldError[]>;

export const kindChecks: Partial<Record<Kind, KindCheck>> = {
  'crm-automation': checkCrmAutomation,
  'sms-send': checkSmsSend,
  scenario: checkScenario,
};
