import { randomBytes } from 'node:crypto';

type Entry = Record<string, unknown>;
const isEntry = (v: unknown): v is Entry => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Key order does not make two entries different. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isEntry(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export interface IdOptions {
  /** Start of a generated id: `auto` gives auto-3f9a1c02. */
  prefix: string;
  /** The entry as it is stored (defaults filled in), to compare a sent entry with a saved one; null when it is not valid yet. */
  normalize(entry: Entry): Entry | null;
}

/**
 * Gives an id to each entry of a list the client sent without one, at save time. An entry equal to
 * one already saved (apart from the id) gets that one's id back, so a client that sends its list
 * again without ids keeps them; anything else gets a new one. Ids the client sent are kept as they
 * are (the schema then checks them). Not for workflow code: the ids are random.
 */
export function assignIds(entries: unknown, saved: unknown, options: IdOptions): unknown {
  if (!Array.isArray(entries)) return entries;
  const used = new Set(entries.flatMap((e) => (isEntry(e) && typeof e.id === 'string' ? [e.id] : [])));
  const content = (e: Entry) => {
    const { id: _id, ...rest } = options.normalize({ ...e, id: 'x' }) ?? e;
    return canonical(rest);
  };
  const free = (Array.isArray(saved) ? saved : []).filter((e): e is Entry & { id: string } => isEntry(e) && typeof e.id === 'string' && !used.has(e.id));
  return entries.map((entry: unknown) => {
    if (!isEntry(entry) || entry.id !== undefined) return entry;
    const same = content(entry);
    const match = free.findIndex((s) => content(s) === same);
    let id: string;
    if (match >= 0) id = free.splice(match, 1)[0]!.id;
    else do id = `${options.prefix}-${randomBytes(4).toString('hex')}`; while (used.has(id));
    used.add(id);
    return { id, ...entry };
  });
}
