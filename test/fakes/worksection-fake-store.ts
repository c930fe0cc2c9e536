export interface WsUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  name: string;
  role: string;
}

export interface WsProject {
  id: string;
  name: string;
  status: 'active' | 'pending' | 'archived';
  company: string;
  user_from: string;
}

export interface WsTask {
  id: string;
  projectId: string;
  parentId?: string;
  name: string;
  text: string;
  status: 'active' | 'done';
  priority: number;
  userFrom: string;
  userTo: string;
  dateAdded: number;
  dateStart?: string;
  dateEnd?: string;
  dateClosed?: number;
  maxTime?: number;
  maxMoney?: number;
  tags: string[];
}

export interface WsEvent {
  action: 'post' | 'update' | 'close' | 'reopen' | 'delete';
  at: number;
  taskId: string;
  projectId: string;
  userFrom: string;
  new: Record<string, unknown>;
  old: Record<string, unknown>;
}

export const DEFAULT_WS_USERS: WsUser[] = [
  { id: '1', email: 'owner@acme.test', first_name: 'Ann', last_name: 'Owner', name: 'Ann Owner', role: 'owner' },
  { id: '2', email: 'bob@acme.test', first_name: 'Bob', last_name: 'Doer', name: 'Bob Doer', role: 'user' },
];

export const DEFAULT_WS_PROJECTS: WsProject[] = [
  { id: '26', name: 'Sales follow-ups', status: 'active', company: 'Sales', user_from: 'owner@acme.test' },
  { id: '27', name: 'Next quarter', status: 'pending', company: 'Sales', user_from: 'owner@acme.test' },
  { id: '28', name: 'Old site', status: 'archived', company: 'Web', user_from: 'owner@acme.test' },
];

/** Worksection's state: users, projects, tasks and the event log get_events reads. */
export class WorksectionStore {
  readonly tasks = new Map<string, WsTask>();
  readonly events: WsEvent[] = [];
  private nextTaskId = 1001;

  constructor(
    readonly users: WsUser[],
    readonly projects: WsProject[],
    /** The account's time zone, as minutes east of UTC: every date Worksection shows is local. */
    private readonly offsetMinutes: number,
  ) {}

  user(email: string): WsUser | undefined {
    return this.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  /** `YYYY-MM-DD HH:II` in the account's time zone. */
  localMinute(ms: number): string {
    return new Date(ms + this.offsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  }

  createTask(fields: Omit<WsTask, 'id' | 'status' | 'dateAdded'>, at: number): WsTask {
    const task: WsTask = { ...fields, id: String(this.nextTaskId++), status: 'active', dateAdded: at };
    this.tasks.set(task.id, task);
    this.log('post', task, at, task.userFrom, { name: task.name }, {});
    return task;
  }

  log(action: WsEvent['action'], task: WsTask, at: number, userFrom: string, next: Record<string, unknown>, old: Record<string, unknown>): void {
    this.events.push({ action, at, taskId: task.id, projectId: task.projectId, userFrom, new: next, old });
  }

  setStatus(task: WsTask, status: WsTask['status'], at: number, by: string): void {
    if (task.status === status) return;
    const old = { status: task.status };
    task.status = status;
    task.dateClosed = status === 'done' ? at : undefined;
    this.log(status === 'done' ? 'close' : 'reopen', task, at, by, { status }, old);
  }

  person(email: string) {
    const u = this.user(email);
    return u ? { id: u.id, email: u.email, name: u.name } : { id: '0', email, name: email };
  }

  taskJson(t: WsTask, extras: string[]) {
    const project = this.projects.find((p) => p.id === t.projectId)!;
    return {
      id: t.id,
      name: t.name,
      page: `/project/${t.projectId}/${t.id}/`,
      status: t.status,
      priority: String(t.priority),
      user_from: this.person(t.userFrom),
      user_to: t.userTo === 'NOONE' || t.userTo === 'ANY' ? { id: '0', email: t.userTo, name: t.userTo } : this.person(t.userTo),
      project: { id: project.id, name: project.name, page: `/project/${project.id}/` },
      ...(t.parentId ? { parent: { id: t.parentId } } : {}),
      ...(extras.includes('text') ? { text: t.text } : {}),
      date_added: this.localMinute(t.dateAdded),
      ...(t.dateStart ? { date_start: t.dateStart } : {}),
      ...(t.dateEnd ? { date_end: t.dateEnd } : {}),
      ...(t.dateClosed !== undefined ? { date_closed: this.localMinute(t.dateClosed) } : {}),
      ...(t.maxTime !== undefined ? { max_time: t.maxTime } : {}),
      ...(t.maxMoney !== undefined ? { max_money: String(t.maxMoney) } : {}),
      tags: Object.fromEntries(t.tags.map((name, i) => [String(100 + i), name])),
    };
  }

  eventJson(e: WsEvent) {
    return {
      action: e.action,
      date_added: this.localMinute(e.at),
      object: { id: e.taskId, type: 'task', page: `/project/${e.projectId}/${e.taskId}/` },
      user_from: this.person(e.userFrom),
      new: e.new,
      old: e.old,
    };
  }
}

/** DD.MM.YYYY → YYYY-MM-DD, or undefined when malformed. */
export function fromWsDate(value: string): string | undefined {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : undefined;
}

/** The parts of Worksection's filter language a test needs: name has/=, id in (…), project=, joined by `and`. */
export function matchesFilter(task: WsTask, filter: string): boolean | 'invalid' {
  const terms = filter.split(/\s+and\s+/);
  let ok = true;
  for (const term of terms) {
    const has = /^name\s+has\s+'([^']*)'$/.exec(term.trim());
    const eq = /^name\s*=\s*'([^']*)'$/.exec(term.trim());
    const ids = /^id\s+in\s+\(([\d,\s]+)\)$/.exec(term.trim());
    const project = /^project\s*=\s*(\d+)$/.exec(term.trim());
    if (has) ok &&= task.name.toLowerCase().includes(has[1]!.toLowerCase());
    else if (eq) ok &&= task.name === eq[1];
    else if (ids) ok &&= ids[1]!.split(',').map((s) => s.trim()).includes(task.id);
    else if (project) ok &&= task.projectId === project[1];
    else return 'invalid';
  }
  return ok;
}
