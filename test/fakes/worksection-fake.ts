import { createHash } from 'node:crypto';
import { FakeServer, firstValue, json, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { SlidingWindow } from './fake-util';
import { runAction, wsError } from './worksection-fake-actions';
import { DEFAULT_WS_PROJECTS, DEFAULT_WS_USERS, WorksectionStore, type WsEvent, type WsProject, type WsTask, type WsUser } from './worksection-fake-store';

export type { WsEvent, WsProject, WsTask, WsUser } from './worksection-fake-store';

export interface WorksectionFakeOptions extends FakeServerOptions {
  apiKey?: string;
  users?: WsUser[];
  projects?: WsProject[];
  /** Calls per sliding second before "Too many requests" (documented: 1); null = unlimited. */
  requestsPerSecond?: number | null;
  /** The account's time zone as minutes east of UTC (dates are shown local). */
  offsetMinutes?: number;
}

const API_PATH = /^\/api\/admin\/v2\/?$/;
const MAX_URL = 8 * 1024;

export class WorksectionFake extends FakeServer {
  readonly apiKey: string;
  /** Calls refused by the fake's own limit (injected faults excluded): a polite client keeps it at 0. */
  limitViolations = 0;
  private readonly store: WorksectionStore;
  private readonly window: SlidingWindow;
  private readonly requestsPerSecond: number | null;
  private readonly scripted: FakeResponse[] = [];

  constructor(options: WorksectionFakeOptions = {}) {
    super(options);
    this.apiKey = options.apiKey ?? '7776461cd931e7b1c8e9632ff8e979ce';
    this.requestsPerSecond = options.requestsPerSecond === undefined ? 1 : options.requestsPerSecond;
    this.store = new WorksectionStore(structuredClone(options.users ?? DEFAULT_WS_USERS), structuredClone(options.projects ?? DEFAULT_WS_PROJECTS), options.offsetMinutes ?? 180);
    this.window = new SlidingWindow(1_000, this.now);
  }

  // ---- test helpers -------------------------------------------------------

  tasks(): WsTask[] {
    return [...this.store.tasks.values()];
  }

  task(id: string): WsTask | undefined {
    return this.store.tasks.get(id);
  }

  events(): WsEvent[] {
    return this.store.events;
  }

  localMinute(ms: number): string {
    return this.store.localMinute(ms);
  }

  /** Seeds a task as a user would create it in Worksection (no HTTP, no limits). */
  addTask(projectId: string, name: string, at = this.now()): WsTask {
    return this.store.createTask({ projectId, name, text: '', priority: 0, userFrom: this.store.users[0]!.email, userTo: 'ANY', tags: [] }, at);
  }

  /** Closes (or reopens) a task as a user would in Worksection, logging the event at `at`. */
  /** Archive, pause or reactivate a project, as a user would in Worksection. */
  setProjectStatus(id: string, status: WsProject['status']): void {
    const project = this.store.projects.find((p) => p.id === id);
    if (!project) throw new Error(`no project ${id}`);
    project.status = status;
  }

  closeTask(id: string, at = this.now()): void {
    this.store.setStatus(this.mustTask(id), 'done', at, this.store.users[1]!.email);
  }

  reopenTask(id: string, at = this.now()): void {
    this.store.setStatus(this.mustTask(id), 'active', at, this.store.users[1]!.email);
  }

  /** The next answers, in order, whatever is asked (malformed bodies, odd errors). */
  scriptNext(...responses: FakeResponse[]): void {
    this.scripted.push(...responses);
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return json(429, { status: 'error', message: 'Too many requests' }, { 'retry-after': '2' });
    return { status, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>${status}</h1></body></html>` };
  }

  protected handle(req: FakeRequest): FakeResponse {
    const scripted = this.scripted.shift();
    if (scripted) return scripted;
    if (!API_PATH.test(req.path)) return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>Page not found</body></html>' };
    const raw = req.rawQuery;
    if (req.path.length + raw.length + 1 > MAX_URL) return { status: 414, headers: { 'content-type': 'text/html' }, body: 'Request-URL Too Large' };
    // The hash is checked over the query string as received, not over a decoded or re-encoded
    // form: a client that signs other bytes than it sends (' signed as is, sent as %27) is refused.
    const signed = /^(.*)&hash=([0-9a-f]{32})$/.exec(raw);
    if (!signed || createHash('md5').update(signed[1]! + this.apiKey).digest('hex') !== signed[2]) return wsError('Invalid hash', 2);
    if (!this.window.tryHit(this.requestsPerSecond)) {
      this.limitViolations += 1;
      return wsError('Too many requests', 3);
    }
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) if (k !== 'hash') q[k] = firstValue(v) ?? '';
    return runAction(this.store, q.action ?? '', q, this.now());
  }

  private mustTask(id: string): WsTask {
    const t = this.store.tasks.get(id);
    if (!t) throw new Error(`no task ${id}`);
    return t;
  }
}

