import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { Router, type Request, type Response } from 'express';
import { accounts, integrations, type AccountRow, type IntegrationRow } from '../../db/schema';
import { getKind, type KindDefinition } from '../../kinds';
import type { ApiDeps } from '../deps';
import { conflict, fieldErrors, notFound, unprocessable, type FieldError } from '../problem';
import { createIntegrationBody, updateIntegrationBody } from '../schemas';
import { confirmed, idParam, parseBody } from '../validate';
import { viewIntegration } from '../views';
import { ensureWorkflow, sharedStatus, signal, signalWithStart, stopWorkflow } from '../workflow-control';

function validateConfig(kind: KindDefinition, config: Record<string, unknown>): Record<string, unknown> {
  const parsed = kind.config.safeParse(config);
  if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, 'config'));
  return parsed.data;
}

export function integrationsRouter(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps.database;

  const checkAgainstAccounts = async (kind: KindDefinition, config: Record<string, unknown>, source: AccountRow, target: AccountRow) => {
    if (!kind.check) return;
    const errors = await kind.check(config, { deps, source, target });
    if (errors.length) throw unprocessable(errors);
  };

  const load = async (id: string): Promise<IntegrationRow> => {
    const [row] = await db.select().from(integrations).where(eq(integrations.id, id));
    if (!row) throw notFound('integration', id);
    return row;
  };
  const kindOf = (row: IntegrationRow): KindDefinition => {
    const kind = getKind(row.kind);
    if (!kind) throw new Error(`integration ${row.id} has unknown kind ${row.kind}`);
    return kind;
  };

  router.post('/', async (req, res) => {
    const body = parseBody(createIntegrationBody, req);
    const kind = getKind(body.kind);
    if (!kind) throw unprocessable([{ field: 'kind', message: `unknown kind "${body.kind}"` }]);
    const unreachable = kind.callbacks && deps.publicUrlProblem?.();
    if (unreachable) {
      throw unprocessable([{ field: 'PUBLIC_URL', message: `${unreachable}: ${kind.callbacks}. Set PUBLIC_URL to the public https address of this API (npm start, the all-in-one dev mode, runs without it)` }]);
    }
    const ids = [body.source.accountId, body.target.accountId];
    const found = new Map((await db.select().from(accounts).where(inArray(accounts.id, ids))).map((a) => [a.id, a]));
    const errors: FieldError[] = [];
    for (const [side, ref, systems] of [['source', body.source, kind.source], ['target', body.target, kind.target]] as const) {
      const account = found.get(ref.accountId);
      if (!account) errors.push({ field: `${side}.accountId`, message: `no account with id ${ref.accountId}` });
      else if (!systems.some((s) => s === account.system)) {
        errors.push({ field: `${side}.accountId`, message: `a ${body.kind} ${side} must be a ${systems.join(' or ')} account, this one is ${account.system}` });
      }
    }
    if (errors.length) throw unprocessable(errors);
    const config = validateConfig(kind, kind.withIds?.(body.config, null) ?? body.config);
    const [source, target] = [found.get(body.source.accountId)!, found.get(body.target.accountId)!];
    await checkAgainstAccounts(kind, config, source, target);
    // Last before the insert: what arrives after this moment is new.
    const boundary = (await kind.boundary?.(config, { deps, source, target })) ?? null;

    const id = randomUUID();
    const [row] = await db
      .insert(integrations)
      .values({ id, kind: body.kind, name: body.name, sourceAccountId: body.source.accountId, targetAccountId: body.target.accountId, config, runsAfter: kind.runsAfter?.(config) ?? null, boundary })
      .returning();
    try {
      await ensureWorkflow(deps.temporal, deps.taskQueue, row!);
    } catch (e) {
      // No workflow, no integration: leave nothing half-created behind.
      await db.delete(integrations).where(eq(integrations.id, id));
      throw e;
    }
    res.status(201).location(`/integrations/${id}`).json(viewIntegration(row!));
  });

  router.get('/', async (_req, res) => {
    const rows = await db.select().from(integrations).orderBy(integrations.createdAt);
    res.json({ items: rows.map((r) => viewIntegration(r)) });
  });

  router.get('/:id', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    res.json(viewIntegration(row, await sharedStatus(deps.temporal, row.id)));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req, 'integration');
    const body = parseBody(updateIntegrationBody, req);
    const row = await load(id);
    const kind = kindOf(row);
    let config = row.config;
    let boundary = row.boundary;
    if (body.config) {
      const errors: FieldError[] = kind.immutable
        .filter((key) => key in body.config! && JSON.stringify(body.config![key]) !== JSON.stringify(row.config[key]))
        .map((key) => ({ field: `config.${key}`, message: `can never change after creation (it is ${JSON.stringify(row.config[key])}); create a new integration for another value` }));
      if (errors.length) throw unprocessable(errors);
      // null takes an optional key out (leaving it out keeps the saved value).
      const merged = Object.fromEntries(Object.entries({ ...row.config, ...body.config }).filter(([, v]) => v !== null));
      config = validateConfig(kind, kind.withIds?.(merged, row.config) ?? merged);
      const linked = new Map((await db.select().from(accounts).where(inArray(accounts.id, [row.sourceAccountId, row.targetAccountId]))).map((a) => [a.id, a]));
      const [source, target] = [linked.get(row.sourceAccountId)!, linked.get(row.targetAccountId)!];
      await checkAgainstAccounts(kind, config, source, target);
      // What the change starts anew (an automation, a trigger) counts from this save; the rest keeps its boundary.
      if (kind.boundary) boundary = (await kind.boundary(config, { deps, source, target }, { config: row.config, boundary: row.boundary })) ?? null;
    }
    const [updated] = await db
      .update(integrations)
      // Only a config change rewrites runs_after: one set to null by deleting the upstream would
      // otherwise be pointed back at the deleted id (a foreign key error) by a mere rename.
      .set({ ...(body.name !== undefined && { name: body.name }), config, boundary, ...(body.config && { runsAfter: kind.runsAfter?.(config) ?? null }), updatedAt: new Date() })
      .where(eq(integrations.id, id))
      .returning();
    // The cursor lives in the workflow and is untouched: the new config applies from the next page.
    if (body.config) await signal(deps.temporal, id, 'configChanged');
    res.json(viewIntegration(updated!));
  });

  /**
   * The workflow is the truth about paused or running: it is signalled first, and `enabled` (what
   * the service reconciles from at start and what runs-after follows) is written only once the
   * signal is accepted. Temporal down: a 503 and the database unchanged. The database failing after
   * the signal: the workflow is signalled back to what the database still says, so the two agree.
   */
  const control = (action: 'pause' | 'resume' | 'run') => async (req: Request, res: Response) => {
    const row = await load(idParam(req, 'integration'));
    await signalWithStart(deps.temporal, deps.taskQueue, row, action === 'run' ? 'runNow' : action);
    const enabled = action === 'resume';
    if (action !== 'run' && row.enabled !== enabled) {
      try {
        await db.update(integrations).set({ enabled, updatedAt: new Date() }).where(eq(integrations.id, row.id));
      } catch (e) {
        await signal(deps.temporal, row.id, row.enabled ? 'resume' : 'pause').catch((undo: unknown) => {
          deps.log.error({ err: undo, integrationId: row.id, enabled: row.enabled }, `the workflow is ${action}d but the database could not record it, nor could the workflow be signalled back`);
        });
        throw e;
      }
    }
    res.status(202).json({ id: row.id, accepted: action });
  };
  router.post('/:id/pause', control('pause'));
  router.post('/:id/resume', control('resume'));
  router.post('/:id/run', control('run'));

  router.delete('/:id', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const alsoDeleted = kindOf(row).deletes?.(row.config) ?? null;
    if (alsoDeleted && !confirmed(req)) {
      throw conflict(`deleting this integration also deletes ${alsoDeleted}; repeat with confirm: true`, [{ field: 'confirm', message: 'must be true' }]);
    }
    await stopWorkflow(deps.temporal, row.id);
    await db.delete(integrations).where(eq(integrations.id, row.id));
    res.status(204).end();
  });

  return router;
}
