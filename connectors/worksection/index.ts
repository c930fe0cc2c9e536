import { z } from 'zod';
import { defineAction, defineTrigger } from '../kit/define-action';
import { validationError } from '../kit/errors';
import { defineConnector } from '../kit/types';
import { worksectionLookups } from './lookups';
import { worksectionCredentials, worksectionLimitOverrides } from './auth';
import type { WorksectionCtx } from './client';
import { listProjects, listProjectsInput, listUsers } from './directory';
import { closedTasksInput, pollTaskEvents, taskEventCursor, taskEventsInput } from './task-events';
import {
  completeTask,
  createTask,
  createTaskInput,
  getTask,
  reopenTask,
  searchTasks,
  searchTasksInput,
  taskIdInput,
  updateTask,
  updateTaskInput,
} from './tasks';

export const worksection = defineConnector({
  id: 'worksection',
  name: 'Worksection',
  functionalities: ['tasks'],
  // Each customer has its own address; the account's base URL must be https://<account>.worksection.com.
  defaultBaseUrl: 'https://worksection.com',
  // The bare host is the default only so that check() can ask for the account's own address.
  hosts: ['*.worksection.com', 'worksection.com'],
  // The admin key is the usual way; OAuth 2 (the user API, same actions) is offered beside it.
  auth: { type: 'api-key', schema: worksectionCredentials, secretFields: ['apiKey', 'accessToken', 'refreshToken'] },
  oauth: {
    authorizeUrl: 'https://worksection.com/oauth2/authorize',
    tokenUrl: 'https://worksection.com/oauth2/token',
    // Scope names as Worksection's OAuth app settings list them (projects_read, tasks_write, users_read…);
    // our notes do not confirm the exact list, so an app registered with others needs this changed.
    scopes: ['projects_read', 'tasks_read', 'tasks_write', 'users_read'],
    pkce: false,
    // The token answer names the account (account_url): that address is the account's base URL.
    baseUrlOf: (tokens) => tokens.extra?.account_url,
    toCredentials: (tokens, previous) => {
      const before = worksectionCredentials.safeParse(previous).data;
      return { authType: 'oauth2', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? before?.refreshToken, expiresAt: tokens.expiresAt, apiKey: before?.apiKey };
    },
  },
  limits: {
    // Documented: one request a second. The window is a little longer so a call sent late after
    // taking its slot never lands within a second of the next one.
    requestsPerSecond: { limit: 1, windowMs: 1_200, description: 'Worksection admin API requests per second' },
  },
  limitOverrides: worksectionLimitOverrides,
  async check(ctx) {
    if (/^https?:\/\/(www\.)?worksection\.com$/i.test(ctx.baseUrl)) {
      throw validationError('worksection', 'set the account base URL to your Worksection address, e.g. https://yourcompany.worksection.com');
    }
    const projects = await listProjects(ctx, { status: 'active' });
    return { details: { activeProjects: projects.length } };
  },
  actions: {
    'list-projects': defineAction('worksection', {
      repeats: 'safe',
      name: 'List projects',
      description: 'Projects of the account, optionally only active, pending or archived ones.',
      input: listProjectsInput,
      run: listProjects,
    }),
    'list-users': defineAction('worksection', {
      repeats: 'safe',
      name: 'List users',
      description: 'Users of the account (for assignees and authors by e-mail).',
      input: z.object({}),
      run: (ctx: WorksectionCtx) => listUsers(ctx),
    }),
    // No `repeats`: post_task takes no idempotency key, so a repeat after a lost answer creates a
    // second task (crm-automation marks the task under way first and looks for it before a repeat).
    'create-task': defineAction('worksection', {
      name: 'Create task',
      description: 'Creates a task (or subtask) in a project.',
      input: createTaskInput,
      run: createTask,
    }),
    'get-task': defineAction('worksection', {
      repeats: 'safe',
      name: 'Get task',
      description: 'One task with its status and description.',
      input: taskIdInput,
      run: getTask,
    }),
    'update-task': defineAction('worksection', {
      repeats: 'safe',
      name: 'Update task',
      description: "Changes a task's name, assignee, priority, dates, planned time or money, tags.",
      input: updateTaskInput,
      run: updateTask,
    }),
    'complete-task': defineAction('worksection', {
      repeats: 'safe',
      name: 'Complete task',
      description: 'Closes a task.',
      input: taskIdInput,
      run: completeTask,
    }),
    'reopen-task': defineAction('worksection', {
      repeats: 'safe',
      name: 'Reopen task',
      description: 'Opens a closed task again.',
      input: taskIdInput,
      run: reopenTask,
    }),
    'search-tasks': defineAction('worksection', {
      repeats: 'safe',
      name: 'Search tasks',
      description: "Tasks by project, task, author, assignee or Worksection's filter language, open or closed.",
      input: searchTasksInput,
      run: searchTasks,
    }),
  },
  triggers: {
    'closed-tasks': defineTrigger('worksection', {
      name: 'Task closed',
      description: 'Tasks closed since the last poll, oldest first (a workflow waiting for its task to close matches taskId).',
      input: closedTasksInput,
      cursor: taskEventCursor,
      poll: (ctx: WorksectionCtx, input, cursor) => pollTaskEvents(ctx, { ...input, actions: ['close'] }, cursor),
      startsNow: (input) => input.startAt === undefined,
    }),
    'task-events': defineTrigger('worksection', {
      name: 'Task changed',
      description: 'Task events (created, edited, closed, reopened, deleted) since the last poll, oldest first.',
      input: taskEventsInput,
      cursor: taskEventCursor,
      poll: pollTaskEvents,
      startsNow: (input) => input.startAt === undefined,
    }),
  },
  lookups: worksectionLookups,
});
