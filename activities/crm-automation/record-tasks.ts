import { z } from 'zod';
import type { Database } from '../../db/client';
import { DeliveryLedger } from '../../kinds/ledger/delivery-ledger';
import { fieldHasValue, formatValue, renderTitle, type AutomationConfig } from '../../kinds/crm-automation/config';
import { isConnectorError } from '../../connectors/kit/errors';
import type { ConnectorContext } from '../../connectors/kit/types';
import type { NethuntRecord } from '../../connectors/nethunt/schema';
import type { WorksectionCredentials } from '../../connectors/worksection/auth';
import { worksection } from '../../connectors/worksection';

export const TASK_ACTION = 'worksection-task';

/**
 * Where one record stands with one automation (a ledger row keyed automation:record), and the
 * ledger's word for it:
 * - waiting (held, with the project's reason): it reached the value but its project takes no tasks
 *   now (archived, deleted);
 * - under-way: the task is being created; found after a crash, the task may exist already;
 * - open, closed, rearmed (done): the task exists and is not closed yet; it was closed and the
 *   value written back; after the close, the record left the trigger value, so entering it again
 *   means a new task.
 * The task's name and description are fixed when the record matches, so a waiting record gets
 * the task it would have got then.
 */
export const TASK_PHASES = ['waiting', 'under-way', 'open', 'closed', 'rearmed'] as const;
export type TaskPhase = (typeof TASK_PHASES)[number];

export const taskDetail = z.object({
  // 'creating' is under-way before migration 0004; a worker from before the upgrade may still write it.
  phase: z.enum([...TASK_PHASES, 'creating']).transform((p) => (p === 'creating' ? 'under-way' : p)),
  automationId: z.string(),
  recordId: z.string(),
  title: z.string(),
  text: z.string().default(''),
  taskId: z.string().optional(),
  episode: z.number().int(),
});
export type TaskDetail = z.infer<typeof taskDetail>;

export const ledgerKey = (automationId: string, recordId: string) => `${automationId}:${recordId}`;

export interface RecordOutcome {
  created: number;
  unchanged: number;
  skipped: number;
  waiting: number;
}

/** Why an automation's project takes no tasks now (null: it does). */
export type ProjectBlock = string | null;

type Tasks = ConnectorContext<WorksectionCredentials>;

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
 * twice. A row left under way means exactly that may have happened: look for an open task of
 * the same name in the project before creating one.
 */
export async function findTaskCreatedBefore(tasks: Tasks, projectId: string, title: string): Promise<string | undefined> {
  // Worksection documents no escape for a quote inside a filter string: search for the longest
  // stretch of the title without one (`has` matches a part of the name), then keep exact names.
  const fragment = title.split("'").reduce((a, b) => (b.trim().length > a.trim().length ? b : a), '').trim();
  const hits = await worksection.actions['search-tasks'].run(tasks, { projectId, status: 'active', ...(fragment && { filter: `name has '${fragment}'` }) });
  return hits.filter((t) => t.name === title).at(-1)?.id;
}

/** A project that went away between the check and the call answers like this. */
const projectGone = (e: unknown): e is Error => isConnectorError(e) && (e.kind === 'not-found' || e.kind === 'validation') && /project/i.test(e.message);

export class TaskLedger {
  private readonly ledger: DeliveryLedger;

  constructor(database: Database, integrationId: string) {
    this.ledger = new DeliveryLedger(database, integrationId);
  }

  async load(automationId: string, recordIds: string[]): Promise<Map<string, TaskDetail>> {
    const rows = await this.ledger.read(recordIds.map((id) => ledgerKey(automationId, id)), TASK_ACTION);
    return new Map(rows.map((r) => taskDetail.parse(r.detail)).map((d) => [d.recordId, d]));
  }

  async waiting(automationId: string): Promise<TaskDetail[]> {
    const rows = await this.ledger.heldMatching(TASK_ACTION, { automationId, phase: 'waiting' });
    return rows.map((r) => taskDetail.parse(r.detail));
  }

  /** The tasks of ours among these, with their records. */
  async ofTasks(taskIds: string[]): Promise<TaskDetail[]> {
    return (await this.ledger.byTargetIds(TASK_ACTION, taskIds)).map((r) => taskDetail.parse(r.detail));
  }

  /** The project takes no tasks now: the record waits, held with the reason. */
  wait(detail: TaskDetail, reason: string) {
    return this.ledger.hold([{ ...this.entry({ ...detail, phase: 'waiting' }), reason }]);
  }

  /** Before the task is created: Worksection takes no idempotency key, so a crash must leave a trace. */
  markUnderWay(detail: TaskDetail) {
    return this.ledger.markUnderWay([this.entry({ ...detail, phase: 'under-way' })]);
  }

  /** The task exists: open, closed or rearmed. */
  markDone(detail: TaskDetail & { phase: Exclude<TaskPhase, 'waiting' | 'under-way'> }) {
    return this.ledger.markDone([this.entry(detail)]);
  }

  // The task id is set exactly, null too: a new episode must not be found by the last episode's task.
  private entry(detail: TaskDetail) {
    return { sourceKey: ledgerKey(detail.automationId, detail.recordId), action: TASK_ACTION, detail, targetId: detail.taskId ?? null };
  }
}

/**
 * Creates the task for one matched record, at most once per episode: reserved in the ledger
 * before the call, confirmed after it. Returns false when the project takes no tasks (the record
 * waits, with its task fixed, until the project is active again).
 */
async function deliver(ledger: TaskLedger, tasks: Tasks, automation: AutomationConfig, detail: TaskDetail, now: Date): Promise<boolean> {
  const adopted = detail.phase === 'under-way' ? await findTaskCreatedBefore(tasks, automation.task.projectId, detail.title) : undefined;
  if (!adopted) await ledger.markUnderWay(detail);
  let taskId = adopted;
  if (!taskId) {
    try {
      taskId = (
        await worksection.actions['create-task'].run(tasks, {
          projectId: automation.task.projectId,
          title: detail.title,
          text: detail.text,
          assigneeEmail: automation.task.assignee,
          priority: automation.task.priority,
          maxTime: automation.task.maxTime,
          dateEnd: dueDate(automation.task.dueInDays, now),
        })
      ).id;
    } catch (e) {
      if (!projectGone(e)) throw e;
      await ledger.wait(detail, e.message);
      return false;
    }
  }
  await ledger.markDone({ ...detail, phase: 'open', taskId });
  return true;
}

/** Records that waited for their project: now that it takes tasks again, they get them. */
export async function releaseWaiting(ledger: TaskLedger, tasks: Tasks, automation: AutomationConfig, now: Date): Promise<number> {
  let created = 0;
  for (const detail of await ledger.waiting(automation.id)) {
    if (!(await deliver(ledger, tasks, automation, detail, now))) break;
    created++;
  }
  return created;
}

/** Records seen by the poll: one task for each that has reached the value and has none open. */
export async function handleRecords(ledger: TaskLedger, tasks: Tasks, automation: AutomationConfig, records: NethuntRecord[], block: ProjectBlock, now: Date): Promise<RecordOutcome> {
  const outcome: RecordOutcome = { created: 0, unchanged: 0, skipped: 0, waiting: 0 };
  const latest = new Map(records.map((r) => [r.id, r]));
  const known = await ledger.load(automation.id, [...latest.keys()]);

  for (const record of latest.values()) {
    const prev = known.get(record.id);
    if (!fieldHasValue(record.fields[automation.trigger.field], automation.trigger.value)) {
      // Left the value after its task closed (often by our own write-back): a later return is a new episode.
      if (prev?.phase === 'closed') await ledger.markDone({ ...prev, phase: 'rearmed' });
      outcome.skipped++;
      continue;
    }
    if (prev && (prev.phase === 'open' || prev.phase === 'closed' || prev.phase === 'waiting')) {
      outcome.unchanged++;
      continue;
    }
    const detail: TaskDetail =
      prev?.phase === 'under-way'
        ? prev
        : {
            phase: 'waiting',
            automationId: automation.id,
            recordId: record.id,
            title: renderTitle(automation.task.title, record.fields) || `NetHunt record ${record.id}`,
            text: description(automation, record),
            episode: prev?.phase === 'rearmed' ? prev.episode + 1 : 1,
          };
    if (block !== null) {
      await ledger.wait(detail, block);
      outcome.waiting++;
    } else if (await deliver(ledger, tasks, automation, detail, now)) outcome.created++;
    else outcome.waiting++;
  }
  return outcome;
}
