import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { z } from 'zod';
import { connectAccount } from '../../connectors/accounts/open-account';
import { getConnector } from '../../connectors/registry';
import { accounts } from '../../db/schema';
import type { ApiDeps } from '../deps';
import { LookupCache } from '../lookups';
import { fieldErrors, HttpProblem, notFound } from '../problem';
import { answerOrProblem } from '../provider-problem';
import { idParam } from '../validate';

export const lookupView = z.object({
  account: z.uuid(),
  lookup: z.string(),
  cached: z.boolean().describe('Answered from the last 30 s; ?fresh=1 asks the provider again'),
  items: z.array(z.looseObject({ value: z.string(), label: z.string() })),
});

/**
 * GET /accounts/:id/lookups/:name — a list a form picks from (users, statuses, folders, columns…),
 * as the account's connector declares it. Read-only: a functionality switched off does not stop it.
 */
export function lookupsRouter(deps: ApiDeps, cache = new LookupCache()): Router {
  const router = Router();

  router.get('/:id/lookups/:name', async (req, res) => {
    const id = idParam(req, 'account');
    const [account] = await deps.database.db.select().from(accounts).where(eq(accounts.id, id));
    if (!account) throw notFound('account', id);
    const connector = getConnector(account.system);
    const name = String(req.params.name);
    const lookup = connector && Object.hasOwn(connector.lookups, name) ? connector.lookups[name] : undefined;
    if (!connector || !lookup) {
      const have = Object.keys(connector?.lookups ?? {});
      throw new HttpProblem(404, 'Not Found', `${connector?.name ?? account.system} has no lookup "${name}"; its lookups are ${have.map((n) => `"${n}"`).join(', ') || 'none'}`, [{ field: 'name', message: `not a lookup of ${connector?.name ?? account.system}` }], { lookups: have });
    }
    const { fresh, ...raw } = req.query;
    const parsed = lookup.input.safeParse(raw);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, 'query');
      throw new HttpProblem(400, 'Bad Request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    }
    const params = parsed.data as Record<string, unknown>;
    const key = LookupCache.key(account, name, params);
    const hit = fresh === undefined || fresh === '0' || fresh === 'false' ? cache.get(key) : undefined;
    if (hit) return void res.json({ account: account.id, lookup: name, cached: true, items: hit.items });

    // Through the account's limiter, like every call its integrations make.
    const ctx = connectAccount(deps, connector, account, { timeoutMs: 15_000 });
    const names = Object.keys(params);
    const field = names.length === 1 ? `query.${names[0]}` : 'query';
    const items = await answerOrProblem(ctx, connector.name, field, () => lookup.run(ctx, params));
    cache.set(key, items);
    res.json({ account: account.id, lookup: name, cached: false, items });
  });

  return router;
}
