import { z } from 'zod';
import { validationError } from '../kit/errors';
import { defineConnector } from '../kit/types';
import { worksectionCredentials, worksectionLimitOverrides } from './auth';
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

const cursorOf = (cursor: unknown) => (cursor === undefined ? undefined : taskEventCursor.parse(cursor));

export const worksection = defineConnector({
  id: 'worksection',
  name: 'Worksection',
  functionalities: ['tasks'],
  // Each customer has its own address; the account's base URL must be https://<account>.worksection.com.
  defaultBaseUrl: 'https://worksection.com',
  auth: { type: 'api-key', schema: worksectionCredentials, secretFields: ['apiKey'] },
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
    'list-projects': {
      repeats: 'safe',
      name: 'List projects',
      description: 'Projects of the account, optionally only active, pending or archived ones.',
      input: listProjectsInput,
      run: (ctx, input) => listProjects(ctx, listProjectsInput.parse(input)),
    },
    'list-users': {
      repeats: 'safe',
      name: 'List users',
      description: 'Users of the account (for assignees and authors by e-mail).',
      input: z.object({}),
      run: (ctx) => listUsers(ctx),
    },
    'create-task': {
      name: 'Create task',
      description: 'Creates a task (or subtask) in a project.',
      input: createTaskInput,
      run: (ctx, input) => createTask(ctx, createTaskInput.parse(input)),
    },
    'get-task': {
      repeats: 'safe',
      name: 'Get task',
      description: 'One task with its status and description.',
      input: taskIdInput,
      run: (ctx, input) => getTask(ctx, taskIdInput.parse(input)),
    },
    'update-task': {
      repeats: 'safe',
      name: 'Update task',
      description: "Changes a task's name, assignee, priority, dates, planned time or money, tags.",
      input: updateTaskInput,
      run: (ctx, input) => updateTask(ctx, updateTaskInput.parse(input)),
    },
    'complete-task': {
      repeats: 'safe',
      name: 'Complete task',
      description: 'Closes a task.',
      input: taskIdInput,
      run: (ctx, input) => completeTask(ctx, taskIdInput.parse(input)),
    },
    'reopen-task': {
      repeats: 'safe',
      name: 'Reopen task',
      description: 'Opens a closed task again.',
      input: taskIdInput,
      run: (ctx, input) => reopenTask(ctx, taskIdInput.parse(input)),
    },
    'search-tasks': {
      repeats: 'safe',
      name: 'Search tasks',
      description: "Tasks by project, task, author, assignee or Worksection's filter language, open or closed.",
      input: searchTasksInput,
      run: (ctx, input) => searchTasks(ctx, searchTasksInput.parse(input)),
    },
  },
  triggers: {
    'closed-tasks': {
      name: 'Task closed',
      description: 'Tasks closed since the last poll, oldest first (a workflow waiting for its task to close matches taskId).',
      input: closedTasksInput,
      poll: (ctx, input, cursor) => pollTaskEvents(ctx, { ...closedTasksInput.parse(input), actions: ['close'] }, cursorOf(cursor)),
    },
    'task-events': {
      name: 'Task changed',
      description: 'Task events (created, edited, closed, reopened, deleted) since the last poll, oldest first.',
      input: taskEventsInput,
      poll: (ctx, input, cursor) => pollTaskEvents(ctx, taskEventsInput.parse(input), cursorOf(cursor)),
    },
  },
});
