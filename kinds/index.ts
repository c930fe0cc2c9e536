import type { z } from 'zod';
import type { Functionality, SystemId } from '../connectors/kit/types';
import { crmAutomationConfig, describeAutomations } from './crm-automation/config';
import { orderSyncConfig } from './order-sync/config';
import { scenarioConfig } from './scenario/config';
import { scenarioUses } from './scenario/uses';
import { smsSendConfig } from './sms-send/config';

export interface KindDefinition {
  kind: string;
  description: string;
  source: readonly SystemId[];
  target: readonly SystemId[];
  config: z.ZodType<Record<string, unknown>>;
  /** Config keys that can never change after creation. */
  immutable: readonly string[];
  /** What deleting an integration of this kind also deletes, when the user should confirm it first. */
  deletes?(config: Record<string, unknown>): string | null;
  /**
   * The integration whose every completed run starts a run of this one, if the config names one:
   * saved beside the config as integrations.runs_after, where the completed run finds its dependents.
   */
  runsAfter?(config: Record<string, unknown>): string | null;
  /** Which functionalities of its source and target accounts an integration uses (the hub's toggles). */
  uses(config: Record<string, unknown>, systems: { source: SystemId; target: SystemId }): { source: readonly Functionality[]; target: readonly Functionality[] };
  workflowType: string;
}

/** Stable kind names: stored in the database. */
export const KIND_NAMES = ['order-sync', 'crm-automation', 'sms-send', 'scenario'] as const;
export type Kind = (typeof KIND_NAMES)[number];

export const kinds: Record<Kind, KindDefinition> = {
  'order-sync': {
    kind: 'order-sync',
    description: 'Webshop orders to CRM cards (UNAS → MiniCRM)',
    source: ['unas'],
    target: ['minicrm'],
    config: orderSyncConfig,
    immutable: ['syncFrom'],
    uses: () => ({ source: ['orders'], target: ['crm'] }),
    workflowType: 'orderSyncWorkflow',
  },
  'crm-automation': {
    kind: 'crm-automation',
    description: 'A CRM record reaching a value creates a task; closing the task writes back (NetHunt → Worksection)',
    source: ['nethunt'],
    target: ['worksection'],
    config: crmAutomationConfig,
    immutable: [],
    deletes: (config) => describeAutomations(crmAutomationConfig.parse(config)),
    uses: () => ({ source: ['crm'], target: ['tasks'] }),
    workflowType: 'crmAutomationWorkflow',
  },
  'sms-send': {
    kind: 'sms-send',
    description: 'Spreadsheet rows to SMS, on an interval, at fixed times or after another integration (Google Sheets → 8x8)',
    source: ['google-sheets'],
    target: ['8x8'],
    config: smsSendConfig,
    immutable: [],
    runsAfter: (config) => {
      const { schedule } = smsSendConfig.parse(config);
      return 'after' in schedule ? schedule.after : null;
    },
    uses: () => ({ source: ['spreadsheet'], target: ['sms'] }),
    workflowType: 'smsSendWorkflow',
  },
  scenario: {
    kind: 'scenario',
    description: "A trigger of one account runs actions on another, e.g. a new SUMIT customer gets an invoice and joins a mailing list",
    source: ['sumit', 'nethunt', 'google-sheets', 'unas', 'worksection'],
    target: ['sumit', 'sare', '8x8', 'nethunt', 'worksection'],
    config: scenarioConfig,
    immutable: [],
    uses: (config, systems) => scenarioUses(scenarioConfig.parse(config), systems),
    workflowType: 'scenarioWorkflow',
  },
};

export function getKind(name: string): KindDefinition | undefined {
  const kind = KIND_NAMES.find((k) => k === name);
  return kind && kinds[kind];
}
