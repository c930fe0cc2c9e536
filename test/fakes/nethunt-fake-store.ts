export type NethuntValue = string | number | boolean | Array<string | number>;

export interface NethuntFakeFolder {
  id: string;
  name: string;
  writable: boolean;
  fields: string[];
}

export interface NethuntFakeRecord {
  id: string;
  folderId: string;
  createdAt: number;
  updatedAt: number;
  fields: Record<string, NethuntValue>;
  /** When each field last changed, for updated-record's fieldName filter. */
  fieldUpdatedAt: Record<string, number>;
}

export interface NethuntFakeChange {
  id: string;
  recordId: string;
  folderId: string;
  time: number;
  recordAction: 'CREATE' | 'UPDATE';
  user: { email: string };
  fieldActions: Record<string, { add?: NethuntValue; remove?: NethuntValue; overwrite?: boolean }>;
}

export interface FieldAction {
  overwrite?: boolean;
  add?: NethuntValue;
  remove?: NethuntValue;
}

export const DEFAULT_NETHUNT_FOLDERS: NethuntFakeFolder[] = [
  { id: '596f644b8f6d05e16c24b810', name: 'Leads', writable: true, fields: ['Name', 'Primary Email Address', 'Stage', 'Task link', 'Task status', 'Tags'] },
  { id: '596f644b8f6d05e16c24b811', name: 'Companies', writable: true, fields: ['Name', 'Website'] },
  { id: '596f644b8f6d05e16c24b812', name: 'Shared reports', writable: false, fields: ['Name'] },
];

const isEmpty = (v: NethuntValue | undefined) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** NetHunt's state: folders, records keyed by field name, and a field-level change log. */
export class NethuntStore {
  readonly records = new Map<string, NethuntFakeRecord>();
  readonly changes: NethuntFakeChange[] = [];
  private seq = 0;

  constructor(
    readonly folders: NethuntFakeFolder[],
    private readonly userEmail: string,
  ) {}

  /** 24 hex digits like a MongoDB ObjectId, increasing so ids sort in creation order. */
  newId(): string {
    this.seq += 1;
    return `65f0${this.seq.toString(16).padStart(20, '0')}`;
  }

  folder(id: string): NethuntFakeFolder | undefined {
    return this.folders.find((f) => f.id === id);
  }

  unknownFields(folder: NethuntFakeFolder, names: string[]): string[] {
    return names.filter((n) => !folder.fields.includes(n));
  }

  create(folderId: string, fields: Record<string, NethuntValue>, at: number): NethuntFakeRecord {
    const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => !isEmpty(v)));
    const record: NethuntFakeRecord = {
      id: this.newId(),
      folderId,
      createdAt: at,
      updatedAt: at,
      fields: clean,
      fieldUpdatedAt: Object.fromEntries(Object.keys(clean).map((k) => [k, at])),
    };
    this.records.set(record.id, record);
    const fieldActions = Object.fromEntries(Object.entries(clean).map(([k, v]) => [k, { add: v }]));
    this.changes.push({ id: this.newId(), recordId: record.id, folderId, time: at, recordAction: 'CREATE', user: { email: this.userEmail }, fieldActions });
    return record;
  }

  /**
   * Applies field actions the way NetHunt describes them: overwrite replaces, `add` appends to a
   * multi-value (list) field or sets a single-value one, `remove` takes a value out or clears it.
   */
  update(record: NethuntFakeRecord, actions: Record<string, FieldAction>, defaultOverwrite: boolean, at: number): void {
    const logged: NethuntFakeChange['fieldActions'] = {};
    for (const [name, action] of Object.entries(actions)) {
      const before = record.fields[name];
      let after: NethuntValue | undefined = before;
      const overwrite = action.overwrite ?? defaultOverwrite;
      if (action.remove !== undefined) after = removeValue(after, action.remove);
      if (action.add !== undefined) after = overwrite || !Array.isArray(after) ? action.add : [...after, ...scalars(action.add)];
      else if (overwrite && action.remove === undefined) after = undefined;
      if (JSON.stringify(after) === JSON.stringify(before)) continue;
      if (isEmpty(after)) delete record.fields[name];
      else record.fields[name] = after!;
      record.fieldUpdatedAt[name] = at;
      logged[name] = { ...(after !== undefined ? { add: after } : {}), ...(before !== undefined ? { remove: before } : {}), overwrite: true };
    }
    if (Object.keys(logged).length === 0) return;
    record.updatedAt = at;
    this.changes.push({ id: this.newId(), recordId: record.id, folderId: record.folderId, time: at, recordAction: 'UPDATE', user: { email: this.userEmail }, fieldActions: logged });
  }
}

const scalars = (v: NethuntValue): Array<string | number> => (Array.isArray(v) ? v : [typeof v === 'boolean' ? String(v) : v]);

function removeValue(current: NethuntValue | undefined, value: NethuntValue): NethuntValue | undefined {
  if (current === undefined) return undefined;
  const drop = new Set((Array.isArray(value) ? value : [value]).map(String));
  if (Array.isArray(current)) return current.filter((v) => !drop.has(String(v)));
  return drop.has(String(current)) ? undefined : current;
}

export function recordJson(r: NethuntFakeRecord) {
  return { id: r.id, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString(), fields: r.fields };
}

export function changeJson(c: NethuntFakeChange) {
  return { id: c.id, recordId: c.recordId, time: new Date(c.time).toISOString(), user: c.user, recordAction: c.recordAction, fieldActions: c.fieldActions };
}

/**
 * NetHunt search, the parts a test needs: `Field:value`, `Field:(a OR b)` (terms ANDed), or free
 * text matched against every value.
 */
export function matchesQuery(record: NethuntFakeRecord, query: string): boolean {
  const terms = [...query.matchAll(/([\w ]+?):\s*(\([^)]*\)|"[^"]*"|\S+)/g)];
  const valuesOf = (name: string) => {
    const v = Object.entries(record.fields).find(([k]) => k.toLowerCase() === name.trim().toLowerCase())?.[1];
    return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x).toLowerCase());
  };
  if (terms.length === 0) {
    const needle = query.trim().toLowerCase();
    return Object.values(record.fields).some((v) => (Array.isArray(v) ? v : [v]).some((x) => String(x).toLowerCase().includes(needle)));
  }
  return terms.every(([, field, raw]) => {
    const text = raw!.replace(/^\(|\)$/g, '').replace(/^"|"$/g, '');
    const options = text.split(/\s+OR\s+/).map((o) => o.trim().replace(/^"|"$/g, '').toLowerCase());
    const have = valuesOf(field!);
    return options.some((o) => have.includes(o));
  });
}
