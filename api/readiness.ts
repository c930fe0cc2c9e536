import type { RequestHandler } from 'express';
import type { ApiDeps } from './deps';
import { RETRY_AFTER_SECONDS, unavailableDependency } from './outages';
import { sendProblem } from './problem';
import { temporalReachable } from './workflow-control';

const CHECK_MS = 3_000;

async function postgresReachable(deps: ApiDeps): Promise<{ ok: true } | { ok: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      deps.database.pool.query('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_MS / 1000} s`)), CHECK_MS);
      }),
    ]);
    return { ok: true };
  } catch (e) {
    const down = unavailableDependency(e, deps.database.url);
    return { ok: false, reason: down ? down.message.replace(/^PostgreSQL is unreachable: /, '') : e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness, unlike /healthz (liveness): whether this API can serve, i.e. reaches PostgreSQL and
 * Temporal, each checked with a short deadline so a load balancer's probe never hangs.
 */
export const readiness =
  (deps: ApiDeps): RequestHandler =>
  async (_req, res) => {
    const [postgres, temporal] = await Promise.all([postgresReachable(deps), temporalReachable(deps.temporal, CHECK_MS)]);
    const state = { postgres: postgres.ok ? 'ok' : 'down', temporal: temporal.ok ? 'ok' : 'down' };
    if (postgres.ok && temporal.ok) return void res.json(state);
    const reasons = [...(postgres.ok ? [] : [`PostgreSQL is unreachable (${postgres.reason})`]), ...(temporal.ok ? [] : [`Temporal is unreachable (${temporal.reason})`])];
    res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    sendProblem(res, 503, 'Service Unavailable', reasons.join('; '), [], state);
  };
