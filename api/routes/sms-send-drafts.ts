import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { accounts, integrations } from '../../db/schema';
import { upcomingRuns } from '../../kinds/sms-send/upcoming-runs';
import type { ApiDeps } from '../deps';
import { unprocessable } from '../problem';
import { schedulePreviewBody, sheetPreviewBody } from '../sms-draft-schemas';
import { renderExistingRows } from '../sms-preview';
import { refuseIfAccountSwitchedOff } from '../switched-off';
import { parseBody } from '../validate';

/** Stands in for an integration id in a preview of one not saved yet: message ids are never shown. */
const DRAFT_ID = 'draft';

/**
 * What the console's sms-send form asks while the user types, before anything is saved: rows
 * already in a sheet rendered with the template, and when the schedule would run.
 */
export function smsSendDraftsRouter(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps.database;

  router.post('/preview', async (req, res) => {
    const { accountId, from, limit, ...draft } = parseBody(sheetPreviewBody, req);
    const [source] = await db.select().from(accounts).where(eq(accounts.id, accountId));
    if (!source || source.system !== 'google-sheets') throw unprocessable([{ field: 'accountId', message: source ? `a Google Sheets account, not ${source.system}` : `no account with id ${accountId}` }]);
    refuseIfAccountSwitchedOff(source, 'spreadsheet', 'a preview');
    const { messages, columns, problems } = await renderExistingRows(deps, DRAFT_ID, draft, source, { from, limit }, 'range');
    res.json({ count: messages.length, messages, columns, problems });
  });

  router.post('/schedule-preview', async (req, res) => {
    const body = parseBody(schedulePreviewBody, req);
    let after = null;
    if ('after' in body.schedule) {
      const [upstream] = await db.select({ id: integrations.id, name: integrations.name, kind: integrations.kind }).from(integrations).where(eq(integrations.id, body.schedule.after));
      if (!upstream) throw unprocessable([{ field: 'schedule.after', message: `no integration with id ${body.schedule.after}` }]);
      after = upstream;
    }
    const runs = upcomingRuns(body.schedule, body.timeZone, new Date(), 5, body.backfill);
    res.json({ timeZone: body.timeZone, runs: runs.map((r) => ({ at: r.at.toISOString(), local: r.local, weekday: r.weekday })), after });
  });

  return router;
}
