import type { z } from 'zod';
import type { AccountRow, IntegrationRow } from '../db/schema';
import { getKind } from '../kinds';
import { functionalityToggles } from '../kinds/functionalities';
import { workflowIdFor } from '../workflows/control';
import type { accountView, integrationView } from './schemas';

/** The public face of an account: credentials never leave the database, not even masked. */
export function viewAccount(row: AccountRow): z.infer<typeof accountView> {
  return {
    id: row.id,
    system: row.system,
    name: row.name,
    baseUrl: row.baseUrl,
    limits: row.limits,
    status: row.status,
    statusReason: row.statusReason,
    functionalities: functionalityToggles(row),
    checkedAt: row.checkedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function viewIntegration(row: IntegrationRow, status?: unknown): z.infer<typeof integrationView> {
  const kind = getKind(row.kind);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    source: { accountId: row.sourceAccountId },
    target: { accountId: row.targetAccountId },
    config: row.config,
    enabled: row.enabled,
    workflowId: workflowIdFor(row.id),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(status === undefined ? {} : { status }),
    ...(kind && { countLabels: kind.counts }),
  };
}
