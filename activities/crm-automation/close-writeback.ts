import type { Database } from '../../db/client';
import type { CrmAutomationConfig } from '../../kinds/crm-automation/config';
import type { ConnectorContext } from '../../connectors/kit/types';
import type { NethuntCredentials } from '../../connectors/nethunt/auth';
import { nethunt } from '../../connectors/nethunt';
import { TaskLedger } from './record-tasks';

/**
 * Tasks closed in Worksection: the record gets the automation's onClose value. Every close event
 * writes back, so a task reopened and closed again writes again; the write overwrites, so
 * repeating it after a crash changes nothing.
 */
export async function writeBackClosedTasks(
  database: Database,
  crm: ConnectorContext<NethuntCredentials>,
  integrationId: string,
  config: CrmAutomationConfig,
  closedTaskIds: string[],
): Promise<{ writtenBack: number }> {
  if (closedTaskIds.length === 0) return { writtenBack: 0 };
  const ledger = new TaskLedger(database, integrationId);
  let writtenBack = 0;
  for (const detail of await ledger.ofTasks(closedTaskIds)) {
    const automation = config.automations.find((a) => a.id === detail.automationId);
    if (!automation) continue; // the automation was deleted since: its tasks no longer write back
    await nethunt.actions['update-record'].run(crm, { recordId: detail.recordId, fieldActions: { [automation.onClose.field]: { overwrite: true, add: automation.onClose.value } } });
    if (detail.phase !== 'rearmed') await ledger.markDone({ ...detail, phase: 'closed' });
    writtenBack++;
  }
  return { writtenBack };
}
