import { activityHeartbeat, withAccountStatus } from '../accounts/account-status';
import { nethunt } from '../../connectors/nethunt';
import type { SinceCursor } from '../../connectors/nethunt/since-poll';
import { worksection } from '../../connectors/worksection';
import type { TaskEventCursor } from '../../connectors/worksection/task-events';
import { automationBoundaries } from '../../kinds/crm-automation/boundary';
import type { ActivityDeps } from '../deps';
import { writeBackClosedTasks } from './close-writeback';
import { loadCrmAutomation } from './integration';
import { handleRecords, releaseWaiting, TaskLedger, type ProjectBlock, type RecordOutcome } from './record-tasks';

/** Per automation: where its polls of new and of updated records stand. */
export type AutomationCursors = Record<string, { created?: SinceCursor; updated?: SinceCursor }>;

export interface RecordsPageSummary extends RecordOutcome {
  fetched: number;
  /** Automations whose project takes no tasks now, with the reason; their records wait. */
  blocked: Record<string, string>;
  cursors: AutomationCursors;
  hasMore: boolean;
  pollIntervalSeconds: number;
}

export interface ClosedTasksSummary {
  closedSeen: number;
  writtenBack: number;
  cursor: TaskEventCursor;
  hasMore: boolean;
}

export function createCrmAutomationActivities(deps: ActivityDeps) {
  return {
    /**
     * One poll of every automation's folder: records created or updated since its cursors that hold
     * the trigger value get their task. The workflow keeps the returned cursors only after this
     * returns; a repeat after a crash is answered from the ledger.
     */
    async handleRecordChanges(input: { integrationId: string; cursors: AutomationCursors }): Promise<RecordsPageSummary> {
      const heartbeat = activityHeartbeat();
      const rt = await loadCrmAutomation(deps, input.integrationId, heartbeat);
      return withAccountStatus(deps, rt, async () => {
        const summary: RecordsPageSummary = { created: 0, unchanged: 0, skipped: 0, waiting: 0, fetched: 0, blocked: {}, cursors: {}, hasMore: false, pollIntervalSeconds: rt.config.pollIntervalSeconds };
        const ledger = new TaskLedger(deps.database, rt.integrationId);
        const projects = new Map((await worksection.actions['list-projects'].run(rt.tasks, {})).map((p) => [p.id, p]));
        const now = new Date();
        const saved = automationBoundaries.safeParse(rt.integration.row.boundary).data;
        for (const automation of rt.config.automations) {
          const project = projects.get(automation.task.projectId);
          const block: ProjectBlock = !project
            ? `Worksection project ${automation.task.projectId} no longer exists`
            : project.status === 'archived'
              ? `Worksection project "${project.name}" is archived; records that reach the value wait and get their tasks once it is active again`
              : null;
          if (block) summary.blocked[automation.id] = block;
          else summary.created += await releaseWaiting(ledger, rt.tasks, automation, now);

          // Before its first poll an automation starts where NetHunt stood when the save that added it
          // was made (one saved before boundaries were stored starts from its first poll).
          const prev = input.cursors[automation.id] ?? saved?.[automation.id] ?? {};
          // The triggers check the cursors against their schema: they come back from workflow state as plain JSON.
          const folderId = automation.trigger.folderId;
          const created = await nethunt.triggers['new-records'].poll(rt.crm, { folderId }, prev.created);
          const updated = await nethunt.triggers['updated-records'].poll(rt.crm, { folderId, fieldNames: [automation.trigger.field] }, prev.updated);
          const records = [...created.records, ...updated.records].map((r) => r.data);
          const outcome = await handleRecords(ledger, rt.tasks, automation, records, block, now);
          heartbeat({ automation: automation.id, ...outcome });
          summary.fetched += records.length;
          summary.created += outcome.created;
          summary.unchanged += outcome.unchanged;
          summary.skipped += outcome.skipped;
          summary.waiting += outcome.waiting;
          summary.cursors[automation.id] = { created: created.nextCursor, updated: updated.nextCursor };
          summary.hasMore ||= created.hasMore || updated.hasMore;
        }
        return summary;
      });
    },

    /** Close events from Worksection since the cursor: each closed task of ours writes its value back. */
    async handleClosedTasks(input: { integrationId: string; cursor?: TaskEventCursor }): Promise<ClosedTasksSummary> {
      const heartbeat = activityHeartbeat();
      const rt = await loadCrmAutomation(deps, input.integrationId, heartbeat);
      return withAccountStatus(deps, rt, async () => {
        const page = await worksection.triggers['closed-tasks'].poll(rt.tasks, {}, input.cursor);
        const taskIds = page.records.map((r) => r.data.taskId);
        const { writtenBack } = await writeBackClosedTasks(deps.database, rt.crm, rt.integrationId, rt.config, taskIds);
        return { closedSeen: taskIds.length, writtenBack, cursor: page.nextCursor, hasMore: page.hasMore };
      });
    },
  };
}

export type CrmAutomationActivities = ReturnType<typeof createCrmAutomationActivities>;
