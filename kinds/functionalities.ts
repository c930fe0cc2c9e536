import { FUNCTIONALITIES, SYSTEM_IDS, type Functionality, type SystemId } from '../connectors/kit/types';
import { getConnector } from '../connectors/registry';
import type { AccountRow, IntegrationRow } from '../db/schema';
import { getKind } from '.';

/** The failure type of an integration stopped by a hub toggle; the workflows wait on it like on any that needs a human. */
export const SWITCHED_OFF = 'switched-off';

/** What the hub calls each functionality. */
export const FUNCTIONALITY_LABELS: Record<Functionality, string> = {
  orders: 'Orders',
  crm: 'CRM',
  tasks: 'Tasks',
  sms: 'SMS',
  email: 'Email',
  documents: 'Documents',
  'mailing-list': 'Mailing lists',
  spreadsheet: 'Spreadsheets',
};

/** The toggles of an account, for every functionality its system has (a key missing from the row means on). */
export function functionalityToggles(account: Pick<AccountRow, 'system' | 'functionalities'>): Partial<Record<Functionality, boolean>> {
  const offered = getConnector(account.system)?.functionalities ?? [];
  return Object.fromEntries(FUNCTIONALITIES.filter((f) => offered.includes(f)).map((f) => [f, account.functionalities[f] !== false]));
}

export const isSwitchedOn = (account: Pick<AccountRow, 'functionalities'>, functionality: Functionality) => account.functionalities[functionality] !== false;

type IntegrationUse = Pick<IntegrationRow, 'kind' | 'config' | 'sourceAccountId' | 'targetAccountId'>;
type LinkedAccount = Pick<AccountRow, 'id' | 'name' | 'system' | 'functionalities'>;

const systemId = (system: string | undefined): SystemId | undefined => SYSTEM_IDS.find((s) => s === system);

/**
 * Which functionalities of this account the integration uses, on whichever side the account is
 * (its kind's `uses`, which may depend on both accounts' systems: `linked` holds both).
 */
export function usedOf(integration: IntegrationUse, accountId: string, linked: readonly LinkedAccount[]): Functionality[] {
  const source = systemId(linked.find((a) => a.id === integration.sourceAccountId)?.system);
  const target = systemId(linked.find((a) => a.id === integration.targetAccountId)?.system);
  const kind = getKind(integration.kind);
  if (!kind || !source || !target) return [];
  const uses = kind.uses(integration.config, { source, target });
  return [...new Set([...(integration.sourceAccountId === accountId ? uses.source : []), ...(integration.targetAccountId === accountId ? uses.target : [])])];
}

export interface SwitchedOff {
  accountId: string;
  accountName: string;
  functionality: Functionality;
}

/** The functionalities the integration uses that are switched off on its accounts (`linked`: its source and target). */
export function switchedOffFor(integration: IntegrationUse, linked: readonly LinkedAccount[]): SwitchedOff[] {
  return linked.flatMap((account) =>
    usedOf(integration, account.id, linked)
      .filter((f) => !isSwitchedOn(account, f))
      .map((functionality) => ({ accountId: account.id, accountName: account.name, functionality })),
  );
}

export const describeSwitchedOff = (off: readonly SwitchedOff[]) =>
  off.map((o) => `${FUNCTIONALITY_LABELS[o.functionality]} is switched off for account "${o.accountName}"`).join('; ');
