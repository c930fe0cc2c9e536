import { activityHeartbeat, withAccountStatus } from '../accounts/account-status';
import { retryBriefly } from '../../connectors/kit/retry-briefly';
import type { ActivityDeps } from '../deps';
import { ScenarioLedger } from './ledger';
import { loadScenario } from './load';
import { runActions, type RecordOutcome } from './run-actions';
import { scenarioBoundary } from '../../kinds/scenario/boundary';
import { triggerFingerprint } from '../../kinds/scenario/trigger-fingerprint';
import { readTriggerCursor, writeTriggerCursor } from './trigger-cursor';

export interface ScenarioPageSummary {
  /** Records the trigger reported, plus held ones a user released. */
  fetched: number;
  /** Actions carried out. */
  created: number;
  /** Actions an earlier attempt had already carried out. */
  unchanged: number;
  /** Records stopped at a held action. */
  held: number;
  hasMore: boolean;
  pollIntervalSeconds: number;
}

const RELEASED_PER_PAGE = 100;

export function createScenarioActivities(deps: ActivityDeps) {
  return {
    /**
     * Held records a user released, then one poll of the trigger: each record runs the actions in
     * order. The trigger's cursor is saved only after its records are handled; a repeat after a
     * crash re-reads the page and the ledger answers for what was done.
     */
    async handleScenarioPage(input: { integrationId: string }): Promise<ScenarioPageSummary> {
      const heartbeat = activityHeartbeat();
      const rt = await loadScenario(deps, input.integrationId, heartbeat);
      return withAccountStatus(deps, rt, async () => {
        const ledger = new ScenarioLedger(deps.database, rt.integrationId);
        const summary: ScenarioPageSummary = { fetched: 0, created: 0, unchanged: 0, held: 0, hasMore: false, pollIntervalSeconds: rt.config.pollIntervalSeconds };
        const add = (o: RecordOutcome) => {
          summary.fetched++;
          summary.created += o.done;
          summary.unchanged += o.unchanged;
          summary.held += o.held;
          heartbeat({ records: summary.fetched });
        };

        for (const row of await ledger.released(RELEASED_PER_PAGE)) {
          const record = { id: row.sourceKey, dedupeKey: row.sourceKey, data: row.detail.record };
          add(await runActions(ledger, await ledger.steps([row.sourceKey]), rt.integrationId, rt.config, rt.target, record, row.action));
          await ledger.settleRelease(row.sourceKey, row.action);
        }

        const fingerprint = triggerFingerprint(rt.config.trigger);
        // Before its first page the trigger starts where it stood when the user saved (integrations
        // saved before boundaries were stored, or whose trigger fixes nothing, start from the first poll).
        const saved = scenarioBoundary.safeParse(rt.integration.row.boundary).data;
        const cursor = (await readTriggerCursor(deps.database, rt.integrationId, fingerprint)) ?? (saved?.fingerprint === fingerprint ? saved.cursor : undefined);
        // Polls only read: a passing failure is retried at once.
        const page = await retryBriefly(() => rt.trigger.poll(rt.source.ctx, rt.config.trigger.input, cursor), () => true, heartbeat);
        const steps = await ledger.steps(page.records.map((r) => r.dedupeKey));
        for (const record of page.records) add(await runActions(ledger, steps, rt.integrationId, rt.config, rt.target, record));
        await writeTriggerCursor(deps.database, rt.integrationId, fingerprint, page.nextCursor);
        summary.hasMore = page.hasMore;
        return summary;
      });
    },
  };
}

export type ScenarioActivities = ReturnType<typeof createScenarioActivities>;
