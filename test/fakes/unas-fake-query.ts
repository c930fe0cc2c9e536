import { isRecord } from './fake-util';
import type { UnasOrder, UnasStatus } from './unas-fake-data';
import { unasDate } from './unas-fake-xml';

const MAX_LIMIT_NUM = 500;
const STATUS_TYPES = new Set(['open_normal', 'open_prepare', 'close_ok', 'close_fault']);

export interface OrderQuery {
  /** A `Key` query: counted against the (much larger) single-order quota. */
  single: boolean;
  matches: (order: UnasOrder) => boolean;
  limitNum: number;
  limitStart: number;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function unixSeconds(params: Record<string, string>, name: string): Parsed<number | undefined> {
  const raw = params[name];
  if (raw === undefined || raw === '') return { ok: true, value: undefined };
  if (!/^\d+$/.test(raw)) return { ok: false, error: `Invalid ${name}` };
  return { ok: true, value: Number(raw) };
}

function day(params: Record<string, string>, name: string): Parsed<string | undefined> {
  const raw = params[name];
  if (raw === undefined || raw === '') return { ok: true, value: undefined };
  if (!/^\d{4}\.\d{2}\.\d{2}$/.test(raw)) return { ok: false, error: `Invalid ${name}` };
  return { ok: true, value: raw };
}

/** `<Params>` children as strings; a nested element where a scalar belongs is a client bug. */
export function flatParams(params: unknown): Parsed<Record<string, string>> {
  const out: Record<string, string> = {};
  if (params === '' || params === undefined) return { ok: true, value: out };
  if (!isRecord(params)) return { ok: false, error: 'Invalid Params' };
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') return { ok: false, error: `Invalid ${name}` };
    out[name] = value.trim();
  }
  return { ok: true, value: out };
}

function statusMatcher(params: Record<string, string>, statuses: readonly UnasStatus[]): (o: UnasOrder) => boolean {
  const checks: Array<(o: UnasOrder) => boolean> = [];
  const status = params.Status;
  if (status) {
    // The docs allow a status number, a status type (open_normal…) or, per the brief, a status name.
    if (STATUS_TYPES.has(status)) {
      const ids = new Set(statuses.filter((s) => s.type === status).map((s) => s.id));
      checks.push((o) => ids.has(o.statusId));
    } else if (/^\d+$/.test(status)) checks.push((o) => o.statusId === Number(status));
    else checks.push((o) => o.status === status);
  }
  if (params.StatusName) {
    const names = new Set(params.StatusName.split('|').map((s) => s.trim()));
    checks.push((o) => names.has(o.status));
  }
  if (params.StatusID) {
    const ids = new Set(params.StatusID.split(',').map((s) => Number(s.trim())));
    checks.push((o) => ids.has(o.statusId));
  }
  return (o) => checks.every((check) => check(o));
}

export function parseOrderQuery(params: Record<string, string>, statuses: readonly UnasStatus[]): Parsed<OrderQuery> {
  const seconds: Record<string, number | undefined> = {};
  for (const name of ['TimeStart', 'TimeEnd', 'TimeModStart', 'TimeModEnd']) {
    const parsed = unixSeconds(params, name);
    if (!parsed.ok) return parsed;
    seconds[name] = parsed.value;
  }
  const days: Record<string, string | undefined> = {};
  for (const name of ['DateStart', 'DateEnd']) {
    const parsed = day(params, name);
    if (!parsed.ok) return parsed;
    days[name] = parsed.value;
  }
  const { TimeStart: timeStart, TimeEnd: timeEnd, TimeModStart: modStart, TimeModEnd: modEnd } = seconds;
  const { DateStart: dateStart, DateEnd: dateEnd } = days;

  let limitNum = MAX_LIMIT_NUM;
  if (params.LimitNum !== undefined) {
    if (!/^\d+$/.test(params.LimitNum) || Number(params.LimitNum) < 1) return { ok: false, error: 'Invalid LimitNum' };
    limitNum = Number(params.LimitNum);
    if (limitNum > MAX_LIMIT_NUM) return { ok: false, error: 'LimitNum max 500' };
  }
  let limitStart = 0;
  if (params.LimitStart !== undefined) {
    if (params.LimitNum === undefined) return { ok: false, error: 'LimitStart only with LimitNum' };
    if (!/^\d+$/.test(params.LimitStart)) return { ok: false, error: 'Invalid LimitStart' };
    limitStart = Number(params.LimitStart);
  }

  const key = params.Key || undefined;
  const email = params.Email?.toLowerCase() || undefined;
  const statusOk = statusMatcher(params, statuses);
  const matches = (o: UnasOrder): boolean => {
    const placed = Math.floor(o.placedAt / 1000);
    const modified = Math.floor(o.modifiedAt / 1000);
    const placedDay = unasDate(o.placedAt).slice(0, 10);
    return (
      (key === undefined || o.key === key) &&
      (email === undefined || o.customer.email.toLowerCase() === email) &&
      (timeStart === undefined || placed >= timeStart) &&
      (timeEnd === undefined || placed <= timeEnd) &&
      (modStart === undefined || modified >= modStart) &&
      (modEnd === undefined || modified <= modEnd) &&
      (dateStart === undefined || placedDay >= dateStart) &&
      (dateEnd === undefined || placedDay <= dateEnd) &&
      statusOk(o)
    );
  };
  return { ok: true, value: { single: key !== undefined, matches, limitNum, limitStart } };
}

/** Sorted by Id, not by modification time: a poller must not assume the last item is the newest. */
export function runOrderQuery(orders: Iterable<UnasOrder>, query: OrderQuery): UnasOrder[] {
  return [...orders]
    .filter(query.matches)
    .sort((a, b) => a.id - b.id)
    .slice(query.limitStart, query.limitStart + query.limitNum);
}
