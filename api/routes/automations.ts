import { eq, inArray } from 'drizzle-orm';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { nethunt } from '../../connectors/nethunt';
import { accounts, integrations, type IntegrationRow } from '../../db/schema';
import { automationConfig, crmAutomationConfig, formatValue, withAutomationIds, type AutomationConfig } from '../../kinds/crm-automation/config';
import type { ApiDeps } from '../deps';
import { loadIntegrationOfKind } from '../integration-of-kind';
import { crmAutomationBoundary } from '../../kinds/crm-automation/boundary';
import { checkCrmAutomation } from '../../kinds/crm-automation/checks';
import { askProvider, openForCheck } from '../../kinds/check-kit';
import { conflict, fieldErrors, HttpProblem, notFound, unprocessable } from '../problem';
import { confirmed, idParam, parseBody } from '../validate';
import { refuseIfSwitchedOff } from '../switched-off';
import { signal } from '../workflow-control';

export const suggestionsQuery = z.object({ folder: z.string().min(1, 'a NetHunt folder id'), field: z.string().min(1, 'a field name') }).strict();
export const automationPatch = z
  .object({
    trigger: z.unknown().optional(),
    task: z.unknown().optional(),
    importFields: z.unknown().optional(),
    onClose: z.unknown().optional(),
  })
  .strict();

/**
 * The automations of a crm-automation integration, one at a time: /integrations/:id/automations.
 * Each change is validated against the accounts (folders, fields, projects), saved, and signalled
 * to the running workflow; records already handled keep their tasks.
 */
export function automationsRouter(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps.database;

  const load = async (req: Request): Promise<IntegrationRow & { config: { automations: AutomationConfig[] } }> => {
    const row = await loadIntegrationOfKind(deps.database, idParam(req, 'integration'), 'crm-automation');
    return row as IntegrationRow & { config: { automations: AutomationConfig[] } };
  };

  /** Validates the whole config as it would be, checks it against the accounts, saves and signals. Errors of the automation in the request name its own fields. */
  const save = async (row: IntegrationRow, automations: unknown[], errorPrefix: (i: number) => string) => {
    const parsed = crmAutomationConfig.safeParse({ ...row.config, automations });
    if (!parsed.success) {
      throw unprocessable(
        fieldErrors(parsed.error).map((e) => {
          const m = /^automations\.(\d+)(.*)$/.exec(e.field);
          return m ? { ...e, field: `${errorPrefix(Number(m[1]))}${m[2]}`.replace(/^\./, '') } : e;
        }),
      );
    }
    const linked = new Map((await db.select().from(accounts).where(inArray(accounts.id, [row.sourceAccountId, row.targetAccountId]))).map((a) => [a.id, a]));
    const ctx = { deps, source: linked.get(row.sourceAccountId)!, target: linked.get(row.targetAccountId)! };
    const errors = await checkCrmAutomation(parsed.data, ctx);
    if (errors.length) throw unprocessable(errors.map((e) => ({ ...e, field: e.field.replace(/^config\.automations\.(\d+)/, (_m, i: string) => errorPrefix(Number(i))).replace(/^\./, '') })));
    // An automation added here counts changes from this save on, the others keep theirs.
    const boundary = await crmAutomationBoundary(parsed.data, ctx, { config: row.config, boundary: row.boundary });
    await db.update(integrations).set({ config: parsed.data, boundary, updatedAt: new Date() }).where(eq(integrations.id, row.id));
    await signal(deps.temporal, row.id, 'configChanged');
    return parsed.data.automations;
  };

  router.get('/:id/automations', async (req, res) => {
    const row = await load(req);
    res.json({ items: row.config.automations });
  });

  router.get('/:id/automations/:automationId', async (req, res) => {
    const row = await load(req);
    const found = row.config.automations.find((a) => a.id === req.params.automationId);
    if (!found) throw notFound('automation', String(req.params.automationId), 'automationId');
    res.json(found);
  });

  router.post('/:id/automations', async (req, res) => {
    const row = await load(req);
    // Without an id, one is given here, unlike any of the integration's others.
    const given = withAutomationIds([...row.config.automations, req.body as unknown], []);
    if (Array.isArray(given)) req.body = given.at(-1) as unknown;
    const body = parseBody(automationConfig, req);
    if (row.config.automations.some((a) => a.id === body.id)) throw conflict(`automation "${body.id}" exists already; PATCH it or choose another id`, [{ field: 'id', message: 'already used' }]);
    const list = [...row.config.automations, body];
    const saved = await save(row, list, (i) => (i === list.length - 1 ? '' : `automations.${i}`));
    res.status(201).location(`/integrations/${row.id}/automations/${body.id}`).json(saved.at(-1));
  });

  router.patch('/:id/automations/:automationId', async (req, res) => {
    const row = await load(req);
    const patch = parseBody(automationPatch, req);
    const index = row.config.automations.findIndex((a) => a.id === req.params.automationId);
    if (index === -1) throw notFound('automation', String(req.params.automationId), 'automationId');
    const list = row.config.automations.map((a, i) => (i === index ? { ...a, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } : a));
    const saved = await save(row, list, (i) => (i === index ? '' : `automations.${i}`));
    res.json(saved[index]);
  });

  router.delete('/:id/automations/:automationId', async (req, res) => {
    const row = await load(req);
    const found = row.config.automations.find((a) => a.id === req.params.automationId);
    if (!found) throw notFound('automation', String(req.params.automationId), 'automationId');
    if (!confirmed(req)) {
      throw conflict(`deleting automation "${found.id}" stops it: records reaching ${found.trigger.field} = ${formatValue(found.trigger.value)} get no more tasks, and its open tasks no longer write back; repeat with confirm: true`, [
        { field: 'confirm', message: 'must be true' },
      ]);
    }
    if (row.config.automations.length === 1) {
      throw unprocessable([{ field: 'automationId', message: 'the last automation of an integration; delete the integration instead (DELETE /integrations/:id with confirm: true)' }]);
    }
    await save(row, row.config.automations.filter((a) => a.id !== found.id), (i) => `automations.${i}`);
    res.status(204).end();
  });

  /** NetHunt can't list a field's allowed values: propose the ones most used in recent records. */
  router.get('/:id/suggestions', async (req, res) => {
    const row = await load(req);
    const q = suggestionsQuery.safeParse(req.query);
    if (!q.success) throw unprocessable(fieldErrors(q.error, 'query'));
    await refuseIfSwitchedOff(deps, row, [row.sourceAccountId], 'suggestions');
    const [source] = await db.select().from(accounts).where(eq(accounts.id, row.sourceAccountId));
    const crm = openForCheck(deps, nethunt, source!);
    const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const window = { folderId: q.data.folder, startAt: since, pageSize: 1000, maxFetch: 1000 };
    const recent = await askProvider('query.folder', 'NetHunt', async () => [
      ...(await nethunt.triggers['new-records'].poll(crm, window, undefined)).records,
      ...(await nethunt.triggers['updated-records'].poll(crm, window, undefined)).records,
    ]);
    if (!recent.ok) throw new HttpProblem(422, 'Unprocessable Content', recent.error.message, [recent.error]);
    // A record created and then updated comes from both polls: its latest version counts, once.
    const latest = new Map(recent.value.map((r) => [r.id, r]));
    const counts = new Map<string, number>();
    for (const r of latest.values()) {
      const raw = r.data.fields[q.data.field];
      for (const v of Array.isArray(raw) ? raw : [raw]) {
        const text = formatValue(v);
        if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
      }
    }
    const items = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20).map(([value, records]) => ({ value, records }));
    res.json({ folder: q.data.folder, field: q.data.field, basedOnRecords: latest.size, items });
  });

  return router;
}
