import { firstValue, json, type FakeRequest, type FakeResponse } from './fake-server';
import { isRecord } from './fake-util';
import { changeJson, matchesQuery, recordJson, type FieldAction, type NethuntStore, type NethuntValue } from './nethunt-fake-store';

export interface RouteOptions {
  store: NethuntStore;
  now: () => number;
  /** Largest `limit` honoured; larger ones are cut to it. */
  maxLimit: number;
  /** Third-party clients reverse NetHunt's trigger answers, so they come newest first by default. */
  order: 'newest-first' | 'oldest-first';
}

export const message = (status: number, text: string): FakeResponse => json(status, { message: text });

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isValue(v: unknown): v is NethuntValue {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'));
}

function readLimit(req: FakeRequest, fallback: number, max: number): number | FakeResponse {
  const raw = firstValue(req.query.limit);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) return message(400, `Invalid limit: ${raw}`);
  return Math.min(Number(raw), max);
}

function readSince(req: FakeRequest): number | FakeResponse {
  const raw = firstValue(req.query.since);
  if (raw === undefined) return -Infinity;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? message(400, `Invalid since: ${raw}`) : t;
}

function listOf(req: FakeRequest, name: string): string[] {
  const v = req.query[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** `since` is exclusive ("after"); the page is cut after sorting, so newest-first drops the oldest. */
function window<T>(items: T[], timeOf: (item: T) => number, idOf: (item: T) => string, since: number, limit: number, order: RouteOptions['order']): T[] {
  const sorted = items.filter((i) => timeOf(i) > since).sort((a, b) => timeOf(a) - timeOf(b) || idOf(a).localeCompare(idOf(b)));
  if (order === 'newest-first') sorted.reverse();
  return sorted.slice(0, limit);
}

export function route(o: RouteOptions, req: FakeRequest): FakeResponse {
  const { store } = o;
  const m = /^\/(triggers|searches|actions)\/([\w-]+)(?:\/([^/]+))?\/?$/.exec(req.path);
  if (!m) return message(404, 'Not found');
  const [, kind, name, rawId] = m;
  const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
  const expected = kind === 'actions' ? 'POST' : 'GET';
  if (req.method !== expected) return message(405, `Method ${req.method} not allowed`);

  switch (`${kind}/${name}`) {
    case 'triggers/auth-test':
      return json(200, [{ email: 'ok' }]);
    case 'triggers/readable-folder':
      return json(200, store.folders.map((f) => ({ id: f.id, name: f.name })));
    case 'triggers/writable-folder':
      return json(200, store.folders.filter((f) => f.writable).map((f) => ({ id: f.id, name: f.name })));
    case 'triggers/folder-field': {
      const folder = id === undefined ? undefined : store.folder(id);
      return folder ? json(200, folder.fields.map((n) => ({ name: n }))) : message(404, `Folder not found: ${id}`);
    }
    case 'searches/find-record': {
      const folder = id === undefined ? undefined : store.folder(id);
      if (!folder) return message(404, `Folder not found: ${id}`);
      const recordId = firstValue(req.query.recordId);
      const query = firstValue(req.query.query);
      if (recordId === undefined && query === undefined) return message(400, 'recordId or query is required');
      const limit = readLimit(req, 1, o.maxLimit);
      if (typeof limit !== 'number') return limit;
      const hits = [...store.records.values()].filter((r) => r.folderId === folder.id && (recordId === undefined || r.id === recordId) && (query === undefined || matchesQuery(r, query)));
      return json(200, hits.slice(0, limit).map(recordJson));
    }
    case 'triggers/new-record':
    case 'triggers/updated-record':
    case 'triggers/record-change': {
      const folder = id === undefined ? undefined : store.folder(id);
      if (!folder) return message(404, `Folder not found: ${id}`);
      const since = readSince(req);
      if (typeof since !== 'number') return since;
      const limit = readLimit(req, 100, o.maxLimit);
      if (typeof limit !== 'number') return limit;
      const fieldNames = listOf(req, 'fieldName');
      if (name === 'record-change') {
        const recordId = firstValue(req.query.recordId);
        const changes = store.changes.filter(
          (c) => c.folderId === folder.id && (recordId === undefined || c.recordId === recordId) && (fieldNames.length === 0 || fieldNames.some((f) => f in c.fieldActions)),
        );
        return json(200, window(changes, (c) => c.time, (c) => c.id, since, limit, o.order).map(changeJson));
      }
      const records = [...store.records.values()].filter((r) => r.folderId === folder.id);
      if (name === 'new-record') return json(200, window(records, (r) => r.createdAt, (r) => r.id, since, limit, o.order).map(recordJson));
      const touched = records.filter((r) => r.updatedAt > r.createdAt && (fieldNames.length === 0 || fieldNames.some((f) => (r.fieldUpdatedAt[f] ?? -Infinity) > since)));
      return json(200, window(touched, (r) => r.updatedAt, (r) => r.id, since, limit, o.order).map(recordJson));
    }
    case 'actions/create-record': {
      const folder = id === undefined ? undefined : store.folder(id);
      if (!folder) return message(404, `Folder not found: ${id}`);
      if (!folder.writable) return message(400, `Folder ${folder.name} is read-only for this user`);
      const body = parseJson(req.body);
      if (!isRecord(body) || !isRecord(body.fields)) return message(400, 'Body must be {"timeZone": …, "fields": {…}}');
      if (typeof body.timeZone !== 'string' || body.timeZone === '') return message(400, 'timeZone is required');
      const unknown = store.unknownFields(folder, Object.keys(body.fields));
      if (unknown.length > 0) return message(400, `Unknown field: ${unknown.join(', ')}`);
      const fields: Record<string, NethuntValue> = {};
      for (const [k, v] of Object.entries(body.fields)) {
        if (!isValue(v)) return message(400, `Invalid value for field ${k}`);
        fields[k] = v;
      }
      return json(200, recordJson(store.create(folder.id, fields, o.now())));
    }
    case 'actions/update-record': {
      const record = id === undefined ? undefined : store.records.get(id);
      if (!record) return message(404, `Record not found: ${id}`);
      const body = parseJson(req.body);
      // A client that sent fieldActions as a list got a 500 from NetHunt.
      if (isRecord(body) && Array.isArray(body.fieldActions)) return message(500, 'Internal server error');
      if (!isRecord(body) || !isRecord(body.fieldActions)) return message(400, 'Body must be {"fieldActions": {…}}');
      const folder = store.folder(record.folderId)!;
      const unknown = store.unknownFields(folder, Object.keys(body.fieldActions));
      if (unknown.length > 0) return message(400, `Unknown field: ${unknown.join(', ')}`);
      const actions: Record<string, FieldAction> = {};
      for (const [k, a] of Object.entries(body.fieldActions)) {
        if (!isRecord(a) || (a.add !== undefined && !isValue(a.add)) || (a.remove !== undefined && !isValue(a.remove))) return message(400, `Invalid field action for ${k}`);
        actions[k] = { overwrite: typeof a.overwrite === 'boolean' ? a.overwrite : undefined, add: a.add, remove: a.remove };
      }
      store.update(record, actions, firstValue(req.query.overwrite) === 'true', o.now());
      return json(200, recordJson(record));
    }
    default:
      return message(404, 'Not found');
  }
}
