import { desc, eq } from 'drizzle-orm';
import { Router } from 'express';
import { auditLog } from '../../db/schema';
import type { Audit } from '../audit';
import type { ApiDeps } from '../deps';
import { fieldErrors, unprocessable } from '../problem';
import { auditQuery } from '../schemas';

/** GET /audit: the changes made through the API, newest first (admin only, see api/rights.ts). */
export function auditRouter(deps: ApiDeps, audit: Pick<Audit, 'settled'>): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const parsed = auditQuery.safeParse(req.query);
    if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, 'query'));
    const q = parsed.data;
    await audit.settled();
    const rows = await deps.database.db
      .select()
      .from(auditLog)
      .where(q.clientId === undefined ? undefined : eq(auditLog.clientId, q.clientId))
      .orderBy(desc(auditLog.id))
      .limit(q.limit)
      .offset(q.offset);
    res.json({
      items: rows.map((r) => ({
        at: r.at.toISOString(),
        client: { id: r.clientId, name: r.clientName },
        method: r.method,
        path: r.path,
        status: r.status,
        resourceId: r.resourceId,
        requestId: r.requestId,
      })),
    });
  });
  return router;
}
