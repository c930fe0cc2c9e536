import { z } from 'zod';
import { callWorksection, parseData, toWsDate, type Params, type WorksectionCtx } from './client';
import { task, type WorksectionTask } from './schema';

const taskId = z.string().regex(/^\d+$/).describe('The Worksection task id');
const isoDate = (what: string) => z.iso.date().optional().describe(`${what} (YYYY-MM-DD)`);
const email = (what: string) => z.string().min(1).optional().describe(`${what}: a user's e-mail, or ANY / NOONE`);

const editable = {
  assigneeEmail: email('Who does the task'),
  priority: z.number().int().min(0).max(10).optional().describe('0 (lowest) to 10'),
  dateStart: isoDate('Start date'),
  dateEnd: isoDate('Due date'),
  maxTime: z.number().nonnegative().optional().describe('Planned hours'),
  maxMoney: z.number().nonnegative().optional().describe('Planned budget'),
  tags: z.array(z.string().min(1)).optional().describe('Tag names to set'),
};

export const createTaskInput = z.object({
  projectId: z.string().regex(/^\d+$/).describe('The project to create the task in'),
  title: z.string().min(1).max(500).describe('Task name'),
  text: z.string().optional().describe('Description (plain text or HTML)'),
  authorEmail: email('Who the task is from'),
  parentTaskId: z.string().regex(/^\d+$/).optional().describe('Make it a subtask of this task'),
  ...editable,
});

function editParams(input: { [K in keyof typeof editable]?: z.infer<(typeof editable)[K]> }): Params {
  return {
    email_user_to: input.assigneeEmail,
    priority: input.priority,
    datestart: toWsDate(input.dateStart),
    dateend: toWsDate(input.dateEnd),
    max_time: input.maxTime,
    max_money: input.maxMoney,
    tags: input.tags?.join(','),
  };
}

/**
 * Worksection has no idempotency key for post_task: a retry after a lost answer creates a second
 * task. The automation records the created task id in the delivery ledger before moving on.
 */
export async function createTask(ctx: WorksectionCtx, input: z.infer<typeof createTaskInput>): Promise<WorksectionTask> {
  const data = await callWorksection(ctx, 'post_task', {
    id_project: input.projectId,
    id_parent: input.parentTaskId,
    title: input.title,
    text: input.text,
    email_user_from: input.authorEmail,
    ...editParams(input),
  });
  return parseData(task, data, 'post_task');
}

export const taskIdInput = z.object({ taskId });

export async function getTask(ctx: WorksectionCtx, input: z.infer<typeof taskIdInput>): Promise<WorksectionTask> {
  return parseData(task, await callWorksection(ctx, 'get_task', { id_task: input.taskId, extra: 'text' }), 'get_task');
}

export const updateTaskInput = z.object({
  taskId,
  title: z.string().min(1).max(500).optional().describe('New task name'),
  ...editable,
});

/** Text, author and subscribers cannot be changed through the API. */
export async function updateTask(ctx: WorksectionCtx, input: z.infer<typeof updateTaskInput>): Promise<WorksectionTask> {
  return parseData(task, await callWorksection(ctx, 'update_task', { id_task: input.taskId, title: input.title, ...editParams(input) }), 'update_task');
}

/** Both are idempotent for our purposes: the task ends closed (or open) however often it is sent. */
export async function completeTask(ctx: WorksectionCtx, input: z.infer<typeof taskIdInput>): Promise<{ taskId: string; status: 'done' }> {
  await callWorksection(ctx, 'complete_task', { id_task: input.taskId });
  return { taskId: input.taskId, status: 'done' };
}

export async function reopenTask(ctx: WorksectionCtx, input: z.infer<typeof taskIdInput>): Promise<{ taskId: string; status: 'active' }> {
  await callWorksection(ctx, 'reopen_task', { id_task: input.taskId });
  return { taskId: input.taskId, status: 'active' };
}

export const searchTasksInput = z
  .object({
    projectId: z.string().regex(/^\d+$/).optional().describe('Only tasks of this project'),
    taskId: z.string().regex(/^\d+$/).optional().describe('This task (and its subtasks)'),
    authorEmail: z.string().min(1).optional().describe('Tasks from this user'),
    assigneeEmail: z.string().min(1).optional().describe('Tasks of this assignee'),
    filter: z.string().min(1).optional().describe("Worksection filter, e.g. name has 'Report' and dateend>'25.05.2021'"),
    status: z.enum(['active', 'done']).optional().describe('Only open or only closed tasks'),
  })
  .refine((i) => i.projectId ?? i.taskId ?? i.authorEmail ?? i.assigneeEmail ?? i.filter, 'give a project, task, author, assignee or filter');

export async function searchTasks(ctx: WorksectionCtx, input: z.infer<typeof searchTasksInput>): Promise<WorksectionTask[]> {
  const data = await callWorksection(ctx, 'search_tasks', {
    id_project: input.projectId,
    id_task: input.taskId,
    email_user_from: input.authorEmail,
    email_user_to: input.assigneeEmail,
    filter: input.filter,
    status: input.status,
  });
  return parseData(z.array(task), data, 'search_tasks');
}
