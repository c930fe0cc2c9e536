import { json, type FakeResponse } from './fake-server';
import { fromWsDate, matchesFilter, type WorksectionStore, type WsTask } from './worksection-fake-store';

export const ok = (data?: unknown): FakeResponse => json(200, data === undefined ? { status: 'ok' } : { status: 'ok', data });
/** Worksection reports errors in the envelope with HTTP 200. */
export const wsError = (message: string, code = 1): FakeResponse => json(200, { status: 'error', status_code: code, message });

type Q = Record<string, string>;

const PERIOD_UNITS: Record<string, { max: number; ms: number }> = { m: { max: 360, ms: 60_000 }, h: { max: 72, ms: 3_600_000 }, d: { max: 30, ms: 86_400_000 } };

function editFields(store: WorksectionStore, q: Q): Partial<WsTask> | string {
  const out: Partial<WsTask> = {};
  if (q.email_user_to !== undefined) {
    if (q.email_user_to !== 'ANY' && q.email_user_to !== 'NOONE' && !store.user(q.email_user_to)) return `Invalid email_user_to: ${q.email_user_to}`;
    out.userTo = q.email_user_to;
  }
  if (q.priority !== undefined) {
    const p = Number(q.priority);
    if (!/^\d+$/.test(q.priority) || p > 10) return 'Invalid priority (0..10)';
    out.priority = p;
  }
  for (const [param, key] of [['datestart', 'dateStart'], ['dateend', 'dateEnd']] as const) {
    if (q[param] === undefined) continue;
    const d = fromWsDate(q[param]);
    if (!d) return `Invalid ${param} (DD.MM.YYYY)`;
    out[key] = d;
  }
  if (q.max_time !== undefined) out.maxTime = Number(q.max_time);
  if (q.max_money !== undefined) out.maxMoney = Number(q.max_money);
  if (q.tags !== undefined) out.tags = q.tags.split(',').map((t) => t.trim()).filter(Boolean);
  return out;
}

export function runAction(store: WorksectionStore, action: string, q: Q, now: number): FakeResponse {
  const owner = store.users[0]!.email;
  const extras = (q.extra ?? '').split(',');
  const task = q.id_task === undefined ? undefined : store.tasks.get(q.id_task);
  switch (action) {
    case 'get_projects': {
      if (q.filter !== undefined && !['active', 'pending', 'archived'].includes(q.filter)) return wsError(`Invalid filter: ${q.filter}`);
      return ok(store.projects.filter((p) => q.filter === undefined || p.status === q.filter).map((p) => ({ ...p, page: `/project/${p.id}/`, user_from: store.person(p.user_from) })));
    }
    case 'get_users':
      return ok(store.users);
    case 'post_task': {
      if (!q.id_project) return wsError('Field id_project is required');
      if (!q.title) return wsError('Field title is required');
      const project = store.projects.find((p) => p.id === q.id_project);
      if (!project) return wsError(`Project not found: ${q.id_project}`, 4);
      if (project.status === 'archived') return wsError('Project is archived');
      if (q.id_parent !== undefined && !store.tasks.has(q.id_parent)) return wsError(`Parent task not found: ${q.id_parent}`, 4);
      if (q.email_user_from !== undefined && !store.user(q.email_user_from)) return wsError(`Invalid email_user_from: ${q.email_user_from}`);
      const edits = editFields(store, q);
      if (typeof edits === 'string') return wsError(edits);
      const created = store.createTask(
        { projectId: project.id, parentId: q.id_parent, name: q.title, text: q.text ?? '', priority: 0, userFrom: q.email_user_from ?? owner, userTo: 'ANY', tags: [], ...edits },
        now,
      );
      return ok(store.taskJson(created, ['text']));
    }
    case 'get_task':
    case 'update_task':
    case 'complete_task':
    case 'reopen_task': {
      if (!q.id_task) return wsError('Field id_task is required');
      if (!task) return wsError(`Task not found: ${q.id_task}`, 4);
      if (action === 'get_task') return ok(store.taskJson(task, extras));
      if (action === 'complete_task') {
        store.setStatus(task, 'done', now, owner);
        return ok();
      }
      if (action === 'reopen_task') {
        store.setStatus(task, 'active', now, owner);
        return ok();
      }
      for (const locked of ['text', 'todo', 'subscribe', 'hidden', 'email_user_from']) if (q[locked] !== undefined) return wsError(`Field ${locked} can not be changed`);
      const edits = editFields(store, q);
      if (typeof edits === 'string') return wsError(edits);
      const old: Record<string, unknown> = {};
      if (q.title !== undefined) {
        old.name = task.name;
        task.name = q.title;
      }
      Object.assign(task, edits);
      store.log('update', task, now, owner, { ...edits, ...(q.title !== undefined ? { name: q.title } : {}) }, old);
      return ok(store.taskJson(task, extras));
    }
    case 'search_tasks': {
      if (![q.id_project, q.id_task, q.email_user_from, q.email_user_to, q.filter].some((v) => v !== undefined)) return wsError('At least one search parameter is required');
      if (q.status !== undefined && q.status !== 'active' && q.status !== 'done') return wsError(`Invalid status: ${q.status}`);
      const hits: WsTask[] = [];
      for (const t of store.tasks.values()) {
        if (q.id_project !== undefined && t.projectId !== q.id_project) continue;
        if (q.id_task !== undefined && t.id !== q.id_task && t.parentId !== q.id_task) continue;
        if (q.email_user_from !== undefined && t.userFrom !== q.email_user_from) continue;
        if (q.email_user_to !== undefined && t.userTo !== q.email_user_to) continue;
        if (q.status !== undefined && t.status !== q.status) continue;
        if (q.filter !== undefined) {
          const m = matchesFilter(t, q.filter);
          if (m === 'invalid') return wsError(`Invalid filter: ${q.filter}`);
          if (!m) continue;
        }
        hits.push(t);
      }
      if (hits.length > 10_000) return wsError('Too many tasks (10000 max)');
      return ok(hits.map((t) => store.taskJson(t, extras)));
    }
    case 'get_events': {
      const m = /^(\d+)([mhd])$/.exec(q.period ?? '');
      const unit = m ? PERIOD_UNITS[m[2]!] : undefined;
      if (!m || !unit || Number(m[1]) < 1 || Number(m[1]) > unit.max) return wsError(`Invalid period: ${q.period ?? ''}`);
      const from = now - Number(m[1]) * unit.ms;
      const events = store.events.filter((e) => e.at >= from && (q.id_project === undefined || e.projectId === q.id_project));
      if (events.length > 10_000) return wsError('Too many events (10000 max)');
      // Newest first, as an activity feed shows them.
      return ok([...events].reverse().map((e) => store.eventJson(e)));
    }
    default:
      return wsError(`Action is invalid: ${action}`);
  }
}
