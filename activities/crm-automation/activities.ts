import { activityHeartbeat, withAccountStatus } from '../accounts/account-status';
import { sinceCursor, type SinceCursor } from '../../connectors/nethunt/since-poll';
import { pollNewRecords, pollUpdatedRecords } from '../../connectors/nethunt/triggers';
import { pollTaskEvents, taskEventCursor, type TaskEventCursor } from '../../connectors/worksection/task-events';
import type { ActivityDeps } from '../deps';
import { writeBackClosedTasks } from './close-writeback';
import { loadCrmAutomation } from './integration';
import { listProjects } from '../../connectors/worksection/directory';
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
        const projects = new Map((await listProjects(rt.tasks, {})).map((p) => [p.id, p]));
        const now = new Date();
        for (const automation of rt.config.automations) {
          const project = projects.get(automation.task.projectId);
          const block: ProjectBlock = !project
            ? `Worksection project ${automation.task.projectId} no longer exists`
            : project.status === 'archived'
              ? `Worksection project "${project.name}" is archived; records that reach the value wait and get their tasks once it is active again`
              : null;
          if (block) summary.blocked[automation.id] = block;
          else summary.created += await releaseWaiting(ledger, rt.tasks, automation, now);

          const prev = input.cursors[automation.id] ?? {};
          const trigger = { folderId: automation.trigger.folderId, fieldNames: [automation.trigger.field] };
          const created = await pollNewRecords(rt.crm, trigger, prev.created ? sinceCursor.parse(prev.created) : undefined);
          const updated = await pollUpdatedRecords(rt.crm, trigger, prev.updated ? sinceCursor.parse(prev.updated) : undefined);
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
        const page = await pollTaskEvents(rt.tasks, { actions: ['close'] }, input.cursor ? taskEventCursor.parse(input.cursor) : undefined);
        const taskIds = page.records.map((r) => r.data.taskId);
        const { writtenBack } = await writeBackClosedTasks(deps.database, rt.crm, rt.integrationId, rt.config, taskIds);
        return { closedSeen: taskIds.length, writtenBack, cursor: page.nextCursor, hasMore: page.hasMore };
      });
    },
  };
}

export type CrmAutomationActivities = ReturnType<typeof createCrmAutomationActivities>;
