import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { Router } from 'express';
import { z } from 'zod';
import { deliveryLedger, type IntegrationRow } from '../../db/schema';
import type { ApiDeps } from '../deps';
import { conflict, fieldErrors, unprocessable } from '../problem';
import { loadIntegrationOfKind } from '../integration-of-kind';
import { idParam, parseBody } from '../validate';
import { signal } from '../workflow-control';

export const deliveriesQuery = z
  .object({
    state: z.enum(['done', 'held', 'started']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const retryBody = z
  .object({
    records: z.array(z.string().min(1)).min(1).max(1000).optional().describe('The held records to run again (their `record` keys); default all held'),
    confirm: z.boolean().optional().describe('Required when a step is in doubt: running it again may do it a second time'),
  })
  .strict();

/** What a scenario did per record and action, and the way to run held records again (scenarios only). */
export function deliveriesRouter(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps.database;

  const load = (id: string): Promise<IntegrationRow> => loadIntegrationOfKind(deps.database, id, 'scenario');

  router.get('/:id/deliveries', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const parsed = deliveriesQuery.safeParse(req.query);
    if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, 'query'));
    const q = parsed.data;
    const rows = await db
      .select()
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, row.id), q.state ? eq(deliveryLedger.state, q.state) : undefined))
      .orderBy(asc(deliveryLedger.updatedAt), asc(deliveryLedger.sourceKey), asc(deliveryLedger.action))
      .limit(q.limit)
      .offset(q.offset);
    res.json({
      items: rows.map((r) => {
        const detail = r.detail ?? {};
        return {
          record: r.sourceKey,
          step: r.action,
          state: r.state,
          reason: detail.reason ?? null,
          inDoubt: detail.inDoubt === true,
          retryRequested: detail.release === true,
          output: detail.output ?? null,
          attempts: r.attempts,
          updatedAt: r.updatedAt.toISOString(),
        };
      }),
    });
  });

  router.post('/:id/deliveries/retry', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const body = parseBody(retryBody, req);
    const held = await db
      .select({ sourceKey: deliveryLedger.sourceKey, action: deliveryLedger.action, detail: deliveryLedger.detail })
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, row.id), eq(deliveryLedger.state, 'held'), body.records ? inArray(deliveryLedger.sourceKey, body.records) : undefined));
    if (body.records) {
      const found = new Set(held.map((h) => h.sourceKey));
      const missing = body.records.filter((k) => !found.has(k));
      if (missing.length) throw unprocessable(missing.map((k) => ({ field: 'records', message: `"${k}" has no held step` })));
    }
    const inDoubt = held.filter((h) => h.detail?.inDoubt === true);
    if (inDoubt.length > 0 && body.confirm !== true) {
      throw conflict(
        `${inDoubt.length} of these steps may already have been carried out (the worker stopped while they were under way); running them again may do them twice. Check in the target system, then send confirm: true.`,
        inDoubt.map((h) => ({ field: 'records', message: `${h.sourceKey}: step ${h.action}` })),
      );
    }
    if (held.length > 0) {
      await db
        .update(deliveryLedger)
        .set({ detail: sql`${deliveryLedger.detail} || '{"release": true}'::jsonb`, updatedAt: new Date() })
        .where(and(eq(deliveryLedger.integrationId, row.id), eq(deliveryLedger.state, 'held'), inArray(deliveryLedger.sourceKey, held.map((h) => h.sourceKey))));
      await signal(deps.temporal, row.id, 'runNow');
    }
    res.status(202).json({ released: held.length });
  });

  return router;
}
