import { z } from 'zod';
import { transientError } from '../kit/errors';
import type { PollResult, PolledRecord } from '../kit/types';
import type { SumitContext } from './client';
import { listEntitiesPage, MAX_PAGE, MIN_PAGE, propertyTime, type SumitEntity } from './folders';

/**
 * [I] The names of SUMIT's system properties for an entity's creation and last-change time were not
 * found in any source; these defaults are our guess and every trigger lets the user name them.
 */
export const DEFAULT_CREATED_PROPERTY = 'CreationTime';
export const DEFAULT_UPDATED_PROPERTY = 'LastUpdateTime';

export const entityChangesInput = z.object({
  folder: z.string().trim().min(1).describe('The CRM folder to watch: its name or FolderID (see the list-folders action).'),
  startFrom: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Report entities changed from this moment on; without it the trigger starts from its first poll.'),
  pageSize: z.number().int().min(MIN_PAGE).max(MAX_PAGE).default(100).describe('Entities read per call (SUMIT allows 10 to 1000).'),
  overlap: z.number().int().min(1).max(50).default(10).describe('Entities of the previous page each page reads again, to notice entities that moved between pages.'),
  createdProperty: z.string().trim().min(1).default(DEFAULT_CREATED_PROPERTY).describe("The folder's creation-time property."),
  updatedProperty: z.string().trim().min(1).default(DEFAULT_UPDATED_PROPERTY).describe("The folder's last-change-time property."),
  safetyLagSeconds: z.number().int().min(0).max(3600).default(60).describe('How far behind now the trigger reads, so an entity is never read in the second it can still change.'),
});
export type EntityChangesInput = z.infer<typeof entityChangesInput>;

/** Everything with time < mark.time, or time = mark.time and id in mark.ids, has been reported. */
const mark = z.object({ time: z.number().int(), ids: z.array(z.number().int()) });

/** A pass in progress: the window (mark, top] read newest first, `offset` entities in. */
const pass = z.object({
  top: z.number().int(),
  offset: z.number().int().nonnegative(),
  lastId: z.number().int().optional(),
  topIds: z.array(z.number().int()),
  restarts: z.number().int().nonnegative(),
});

export const entityChangesCursor = z.object({ mark, pass: pass.optional() });
export type EntityChangesCursor = z.infer<typeof entityChangesCursor>;

export interface EntityChange {
  event: 'created' | 'updated';
  id: number;
  folder: string;
  /** ms since epoch of the creation or change. */
  at: number;
  properties: Record<string, unknown>;
}

const MAX_RESTARTS = 5;

/**
 * Entities created (or changed) in a folder since the cursor. SUMIT's listentities has paging and a
 * single sort property but no "changed since" filter, so each poll reads the folder sorted by the
 * time property, NEWEST first, and stops at the first entity older than the mark.
 *
 * Why nothing is lost:
 * - The window's upper edge `top` is frozen when a pass starts, at the end of the last whole second
 *   minus a safety lag: an entity read at time t ≤ top cannot get another change stamped t (that
 *   second is over), so "id seen at t" is a complete dedupe key. Entities stamped after `top` while
 *   the pass runs are skipped and come in the next window.
 * - Ties: the mark is (time, ids seen at that time), so entities sharing the boundary second are
 *   neither repeated nor dropped, whatever their number.
 * - Bursts larger than a page: the pass goes on page by page (`hasMore`), by offset. New or changed
 *   entities jump to the front and only push the rest later (a page repeats some, never skips);
 *   entities that leave the folder (archived, deleted) pull the rest earlier, which could skip one,
 *   so each page re-reads `overlap` entities of the previous one and checks that the previous last
 *   entity is still there. If it is not, the pass restarts from the front with the same window
 *   (re-reported entities carry the same dedupeKey).
 * - The mark moves to `top` only when the pass reaches entities older than the old mark, and the
 *   caller commits a cursor only after handling its records.
 * [I] Assumes SUMIT sorts ties in a stable order between calls (a database sort with a key tiebreak).
 */
export async function pollEntityChanges(
  ctx: SumitContext,
  kind: 'created' | 'updated',
  input: EntityChangesInput,
  cursor: EntityChangesCursor | undefined,
  now = Date.now(),
): Promise<PollResult<EntityChange, EntityChangesCursor> & { restartedPass: boolean }> {
  const orderBy = kind === 'created' ? input.createdProperty : input.updatedProperty;
  // The start of the last whole second before the lag: SUMIT stamps whole seconds [I], so an entity
  // stamped exactly `horizon` shares the window's edge with others, which the mark's ids resolve.
  const horizon = (Math.floor(now / 1000) - 1 - input.safetyLagSeconds) * 1000;
  if (cursor === undefined && input.startFrom === undefined) {
    // First poll without a start: report what happens from now on.
    return { records: [], nextCursor: { mark: { time: horizon, ids: [] } }, hasMore: false, restartedPass: false };
  }
  const m = cursor?.mark ?? { time: Date.parse(input.startFrom ?? '') - 1, ids: [] };
  const p = cursor?.pass ?? { top: horizon, offset: 0, topIds: [], restarts: 0 };
  if (p.top < m.time) return { records: [], nextCursor: { mark: m }, hasMore: false, restartedPass: false };

  const overlap = Math.min(input.overlap, input.pageSize - 1);
  const start = p.offset === 0 ? 0 : Math.max(0, p.offset - overlap);
  const page = await listEntitiesPage(ctx, {
    folder: input.folder,
    startIndex: start,
    pageSize: input.pageSize,
    order: { property: orderBy, descending: true },
    loadProperties: true,
  });
  ctx.heartbeat({ offset: start + page.entities.length });

  let fresh = page.entities;
  if (p.offset > 0 && p.lastId !== undefined) {
    const at = fresh.findIndex((e) => e.ID === p.lastId);
    if (at === -1) {
      if (p.restarts >= MAX_RESTARTS) throw transientError('sumit', `folder ${input.folder} keeps changing under the poll; will try again`);
      return { records: [], nextCursor: { mark: m, pass: { ...p, offset: 0, lastId: undefined, restarts: p.restarts + 1 } }, hasMore: true, restartedPass: true };
    }
    fresh = fresh.slice(at + 1);
  }

  const markIds = new Set(m.ids);
  const topIds = new Set(p.topIds);
  const records: PolledRecord<EntityChange>[] = [];
  let reachedOld = false;
  for (const entity of fresh) {
    const t = propertyTime(entity, orderBy);
    // Without the time property an entity cannot be placed in a window; SUMIT sets it on every entity.
    if (t === undefined || t > p.top) continue;
    if (t < m.time) {
      reachedOld = true;
      break;
    }
    if (t === m.time && markIds.has(entity.ID)) continue;
    if (t === p.top) topIds.add(entity.ID);
    // A change stamped with the creation time is the creation itself: entity-created reports it.
    if (kind === 'updated' && propertyTime(entity, input.createdProperty) === t) continue;
    records.push(toRecord(kind, input.folder, entity, t));
  }

  const lastPage = page.entities.length < input.pageSize || page.entities.length === 0;
  if (reachedOld || lastPage) {
    const ids = p.top === m.time ? [...new Set([...m.ids, ...topIds])] : [...topIds];
    return { records, nextCursor: { mark: { time: p.top, ids } }, hasMore: false, restartedPass: false };
  }
  const last = page.entities[page.entities.length - 1];
  return {
    records,
    nextCursor: { mark: m, pass: { ...p, offset: start + page.entities.length, lastId: last?.ID, topIds: [...topIds] } },
    hasMore: true,
    restartedPass: false,
  };
}

function toRecord(kind: 'created' | 'updated', folder: string, entity: SumitEntity, at: number): PolledRecord<EntityChange> {
  return {
    id: String(entity.ID),
    // One creation per entity; one change per entity and change time.
    dedupeKey: kind === 'created' ? `created:${entity.ID}` : `updated:${entity.ID}@${at}`,
    data: { event: kind, id: entity.ID, folder: entity.Folder === undefined || entity.Folder === null ? folder : String(entity.Folder), at, properties: entity.Properties ?? {} },
  };
}
