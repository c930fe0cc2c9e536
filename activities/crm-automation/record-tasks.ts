import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { deliveryLedger } from '../../db/schema';
import { fieldHasValue, formatValue, renderTitle, type AutomationConfig } from '../../lib/kinds/crm-automation';
import type { ConnectorContext } from '../connectors/kit/types';
import type { NethuntRecord } from '../connectors/nethunt/schema';
import type { WorksectionCredentials } from '../connectors/worksection/auth';
import { createTask, searchTasks } from '../connectors/worksection/tasks';

export const TASK_ACTION = 'worksection-task';

/**
 * Where one record stands with one automation (a ledger row keyed automation:record):
 * - creating: the task is being created; if we find this after a crash, the task may exist already;
 * - open: the task exists and is not closed yet;
 * - closed: the task was closed and the value written back;
 * - rearmed: after the close, the record left the trigger value: entering it again means a new task.
 */
export const taskDetail = z.object({
  phase: z.enum(['creating', 'open', 'closed', 'rearmed']),
  automationId: z.string(),
  recordId: z.string(),
  title: z.string(),
  taskId: z.string().optional(),
  episode: z.number().int(),
});
export type TaskDetail = z.infer<typeof taskDetail>;

export const ledgerKey = (automationId: string, recordId: string) => `${automationId}:${recordId}`;

export interface RecordOutcome {
  created: number;
  unchanged: number;
  skipped: number;
}

function description(automation: AutomationConfig, record: NethuntRecord): string {
  const lines = automation.importFields.map((f) => `${f}: ${formatValue(record.fields[f])}`);
  lines.push('', `NetHunt record ${record.id}`);
  return lines.join('\n');
}

function dueDate(days: number | undefined, now: Date): string | undefined {
  if (days === undefined) return undefined;
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Worksection takes no idempotency key, so a retry after a lost answer could create the task
 * twice. A row left in `creating` means exactly that may have happened: look for an open task of
 * the same name in the project before creating one.
 */
async function findTaskCreatedBefore(ctx: ConnectorContext<WorksectionCredentials>, projectId: string, title: string): Promise<string | undefined> {
  const quoted = title.replace(/'/g, ' ');
  const hits = await searchTasks(ctx, { projectId, status: 'active', filter: `name has '${quoted}'` });
  return hits.filter((t) => t.name === title).at(-1)?.id;
}

/** Records seen by the poll: one task for each that has reached the value and has none open. */
export async function handleRecords(
  database: Database,
  tasks: ConnectorContext<WorksectionCredentials>,
  integrationId: string,
  automation: AutomationConfig,
  records: NethuntRecord[],
  now: Date,
): Promise<RecordOutcome> {
  const outcome: RecordOutcome = { created: 0, unchanged: 0, skipped: 0 };
  if (records.length === 0) return outcome;
  const latest = new Map(records.map((r) => [r.id, r]));
  const rows = await database.db
    .select()
    .from(deliveryLedger)
    .where(and(eq(deliveryLedger.integrationId, integrationId), eq(deliveryLedger.action, TASK_ACTION), inArray(deliveryLedger.sourceKey, [...latest.keys()].map((id) => ledgerKey(automation.id, id)))));
  const known = new Map(rows.map((r) => [r.sourceKey, taskDetail.parse(r.detail)]));

  const save = (detail: TaskDetail, state: 'done' | 'held') =>
    database.db
      .insert(deliveryLedger)
      .values({ integrationId, sourceKey: ledgerKey(detail.automationId, detail.recordId), action: TASK_ACTION, state, targetId: detail.taskId ?? null, detail })
      .onConflictDoUpdate({
        target: [deliveryLedger.integrationId, deliveryLedger.sourceKey, deliveryLedger.action],
        set: { state, targetId: detail.taskId ?? null, detail, updatedAt: new Date() },
      });

  for (const record of latest.values()) {
    const prev = known.get(ledgerKey(automation.id, record.id));
    if (!fieldHasValue(record.fields[automation.trigger.field], automation.trigger.value)) {
      // Left the value after its task closed (often by our own write-back): a later return is a new episode.
      if (prev?.phase === 'closed') await save({ ...prev, phase: 'rearmed' }, 'done');
      outcome.skipped++;
      continue;
    }
    if (prev && (prev.phase === 'open' || prev.phase === 'closed')) {
      outcome.unchanged++;
      continue;
    }
    const episode = prev?.phase === 'rearmed' ? prev.episode + 1 : (prev?.episode ?? 1);
    const title = renderTitle(automation.task.title, record.fields) || `NetHunt record ${record.id}`;
    const detail: TaskDetail = { phase: 'creating', automationId: automation.id, recordId: record.id, title, episode };
    const adopted = prev?.phase === 'creating' ? await findTaskCreatedBefore(tasks, automation.task.projectId, prev.title) : undefined;
    if (!adopted) await save(detail, 'held');
    const taskId =
      adopted ??
      (
        await createTask(tasks, {
          projectId: automation.task.projectId,
          title,
          text: description(automation, record),
          assigneeEmail: automation.task.assignee,
          priority: automation.task.priority,
          maxTime: automation.task.maxTime,
          dateEnd: dueDate(automation.task.dueInDays, now),
        })
      ).id;
    await save({ ...detail, title: adopted ? prev!.title : title, phase: 'open', taskId }, 'done');
    outcome.created++;
  }
  return outcome;
}
