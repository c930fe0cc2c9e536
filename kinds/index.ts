import { crmAutomation } from './crm-automation/kind';
import type { KindDefinition } from './define-kind';
import { orderSync } from './order-sync/kind';
import { scenario } from './scenario/kind';
import { smsSend } from './sms-send/kind';

export type { KindDefinition } from './define-kind';

/** Stable kind names: stored in the database. */
export const KIND_NAMES = ['order-sync', 'crm-automation', 'sms-send', 'scenario'] as const;
export type Kind = (typeof KIND_NAMES)[number];

/** The one registry of kinds: adding a kind is its declaration (kinds/<kind>/kind.ts) and one line here. */
export const kinds: Record<Kind, KindDefinition> = {
  'order-sync': orderSync,
  'crm-automation': crmAutomation,
  'sms-send': smsSend,
  scenario,
};

export function getKind(name: string): KindDefinition | undefined {
  const kind = KIND_NAMES.find((k) => k === name);
  return kind && kinds[kind];
}
