import { Router } from 'express';
import { z } from 'zod';
import type { IntegrationRow } from '../../db/schema';
import { DeliveryLedger, ledgerState, wordOf } from '../../kinds/ledger/delivery-ledger';
import type { ApiDeps } from '../deps';
import { conflict, fieldErrors, unprocessable } from '../problem';
import { loadIntegrationOfKind } from '../integration-of-kind';
import { idParam, parseBody } from '../validate';
import { signal } from '../workflow-control';

export const deliveriesQuery = z
  .object({
    // 'started' is still taken: it is what older clients call under-way.
    state: ledgerState.optional(),
    record: z.string().min(1).max(500).optional().describe("One record's steps only (its `record` key), e.g. to follow a retried record"),
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

  const load = (id: string): Promise<IntegrationRow> => loadIntegrationOfKind(deps.database, id, 'scenario');

  router.get('/:id/deliveries', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const parsed = deliveriesQuery.safeParse(req.query);
    if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, 'query'));
    const rows = await new DeliveryLedger(deps.database, row.id).list(parsed.data);
    res.json({
      items: rows.map((r) => ({
        record: r.sourceKey,
        step: r.action,
        state: r.state,
        reason: r.detail.reason ?? null,
        inDoubt: wordOf(r) === 'in-doubt',
        retryRequested: r.detail.release === true,
        output: r.detail.output ?? null,
        attempts: r.attempts,
        updatedAt: r.updatedAt.toISOString(),
      })),
    });
  });

  router.post('/:id/deliveries/retry', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const body = parseBody(retryBody, req);
    const answer = await new DeliveryLedger(deps.database, row.id).releaseHeld(body);
    if (answer.outcome === 'missing') throw unprocessable(answer.missing.map((k) => ({ field: 'records', message: `"${k}" has no held step` })));
    if (answer.outcome === 'in-doubt') {
      throw conflict(
        `${answer.inDoubt.length} of these steps may already have been carried out (the worker stopped while they were under way); running them again may do them twice. Check in the target system, then send confirm: true.`,
        answer.inDoubt.map((h) => ({ field: 'records', message: `${h.sourceKey}: step ${h.action}` })),
      );
    }
    if (answer.released > 0) await signal(deps.temporal, row.id, 'runNow');
    res.status(202).json({ released: answer.released });
  });

  return router;
}
