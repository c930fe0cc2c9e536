import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { TaskEventCursor } from '../connectors/worksection/task-events';
import type { AutomationCursors, CrmAutomationActivities } from '../activities/crm-automation/activities';
import { PAGE_ACTIVITY } from './activity-options';
import { integrationLoop, type Carried } from './integration-loop';

const { handleRecordChanges, handleClosedTasks } = proxyActivities<CrmAutomationActivities>(PAGE_ACTIVITY);

export interface CrmAutomationCursor {
  records: AutomationCursors;
  tasks?: TaskEventCursor;
}

export interface CrmAutomationInput {
  integrationId: string;
  carried?: Carried<CrmAutomationCursor>;
}

/**
 * The CRM automation as a business process: tasks closed since the last look write their value
 * back to the record; then records that reached the trigger value get a task. Counts: `created`
 * tasks created, `updated` values written back, `held` records waiting for their project.
 */
export async function crmAutomationWorkflow(input: CrmAutomationInput): Promise<void> {
  const { integrationId } = input;
  await integrationLoop<CrmAutomationCursor>({
    integrationId,
    carried: input.carried,
    initialCursor: { records: {} },
    continueAsNew: (carried) => continueAsNew<typeof crmAutomationWorkflow>({ integrationId, carried }),
    async run(run) {
      const cursor = run.status.cursor;
      // Closes first: a task closed since the last run writes back before its record is looked at again.
      for (;;) {
        if (run.interrupted) return false;
        const closed = await handleClosedTasks({ integrationId, cursor: cursor.tasks });
        cursor.tasks = closed.cursor;
        run.add({ updated: closed.writtenBack });
        if (!closed.hasMore) break;
      }
      for (;;) {
        if (run.interrupted) return false;
        const page = await handleRecordChanges({ integrationId, cursors: cursor.records });
        cursor.records = page.cursors;
        run.setPollInterval(page.pollIntervalSeconds);
        run.add({ fetched: page.fetched, created: page.created, unchanged: page.unchanged, held: page.waiting });
        run.status.blocked = page.blocked;
        if (!page.hasMore) return true;
      }
    },
  });
}
