import { eq, inArray, or, sql } from 'drizzle-orm';
import { Router } from 'express';
import { z } from 'zod';
import { getConnector } from '../../connectors/registry';
import { accounts, integrations, type IntegrationRow } from '../../db/schema';
import { FUNCTIONALITY_LABELS, isSwitchedOn, SWITCHED_OFF, usedOf } from '../../kinds/functionalities';
import type { ApiDeps } from '../deps';
import { HttpProblem, notFound, unprocessable } from '../problem';
import { idParam, parseBody } from '../validate';
import { viewAccount } from '../views';
import { queryStatus, signal } from '../workflow-control';

export const toggleFunctionalityBody = z
  .object({
    enabled: z.boolean(),
    confirm: z.boolean().optional().describe('Needed to switch off: the integrations using the functionality stop until it is on again'),
  })
  .strict();

export const affectedIntegration = z.object({ id: z.uuid(), name: z.string(), kind: z.string() });

/**
 * Switching on wakes the integrations this toggle stopped: those whose last failure was the
 * toggle run again now; one caught mid-run is told its config changed, so a run that fails on the
 * stale toggle is not left waiting for a human. The others are left alone: a run now would send an
 * SMS batch off its schedule.
 */
async function wake(deps: ApiDeps, users: IntegrationRow[]): Promise<void> {
  await Promise.all(
    users
      .filter((u) => u.enabled)
      .map(async (u) => {
        const status = await queryStatus(deps.temporal, u.id);
        const stoppedByToggle = status.state !== 'unknown' && status.lastError?.type === SWITCHED_OFF;
        const name = stoppedByToggle ? 'runNow' : status.state === 'running' || status.state === 'unknown' ? 'configChanged' : null;
        if (!name) return;
        try {
          await signal(deps.temporal, u.id, name);
        } catch (err) {
          // The toggle is saved either way; a workflow that missed the signal runs again on resume or run.
          deps.log.warn({ err, integrationId: u.id }, 'could not signal an integration after a functionality was switched on');
        }
      }),
  );
}

/** The hub's per-functionality toggles of an account. */
export function functionalityTogglesRouter(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps.database;

  router.patch('/:id/functionalities/:name', async (req, res) => {
    const id = idParam(req, 'account');
    const body = parseBody(toggleFunctionalityBody, req);
    const [account] = await db.select().from(accounts).where(eq(accounts.id, id));
    if (!account) throw notFound('account', id);
    const offered = getConnector(account.system)?.functionalities ?? [];
    const functionality = offered.find((f) => f === req.params.name);
    if (!functionality) {
      throw unprocessable([{ field: 'name', message: `"${req.params.name}" is not a functionality of ${account.system}; valid: ${offered.join(', ')}` }]);
    }
    const linkedTo = await db.select().from(integrations).where(or(eq(integrations.sourceAccountId, id), eq(integrations.targetAccountId, id))).orderBy(integrations.createdAt);
    const others = linkedTo.flatMap((i) => [i.sourceAccountId, i.targetAccountId]);
    const linked = others.length ? await db.select().from(accounts).where(inArray(accounts.id, others)) : [];
    const users = linkedTo.filter((i) => usedOf(i, id, linked).includes(functionality));
    const label = `${FUNCTIONALITY_LABELS[functionality]} of account "${account.name}"`;
    if (!body.enabled && isSwitchedOn(account, functionality) && body.confirm !== true) {
      const stops = users.length === 0 ? 'stops no integration' : `stops ${users.length} integration(s) until it is on again: ${users.map((u) => `${u.name} (${u.id}, ${u.kind})`).join(', ')}`;
      throw new HttpProblem(409, 'Conflict', `switching off ${label} ${stops}; repeat with confirm: true`, [{ field: 'confirm', message: 'must be true to switch a functionality off' }], {
        integrations: users.map((u) => ({ id: u.id, name: u.name, kind: u.kind })),
      });
    }
    // Merged in SQL: two toggles of one account at once must not undo each other.
    const [updated] = await db
      .update(accounts)
      .set({ functionalities: sql`${accounts.functionalities} || ${JSON.stringify({ [functionality]: body.enabled })}::jsonb`, updatedAt: new Date() })
      .where(eq(accounts.id, id))
      .returning();
    if (!updated) throw notFound('account', id);
    if (body.enabled) await wake(deps, users);
    res.json(viewAccount(updated));
  });

  return router;
}
