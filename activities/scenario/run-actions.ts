import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ScenarioConfig } from '../../kinds/scenario/config';
import { render } from '../../kinds/scenario/mapping';
import { ConnectorError, isConnectorError } from '../../connectors/kit/errors';
import { cut } from '../../connectors/kit/redact';
import { retryBriefly } from '../../connectors/kit/retry-briefly';
import type { AnyConnector, ConnectorContext, PolledRecord } from '../../connectors/kit/types';
import { stepKey, type ScenarioLedger, type StepRow } from './ledger';

export interface Target {
  connector: AnyConnector;
  ctx: ConnectorContext<Record<string, unknown>>;
}

export interface RecordOutcome {
  /** Actions carried out now. */
  done: number;
  /** Actions found done by an earlier attempt. */
  unchanged: number;
  /** 1 when the record stopped at a held action (a refusal, a mapping gap, an unknown outcome). */
  held: number;
}

/** The ledger's name for action `index`: a reordered or replaced action is a different step. */
export const stepName = (index: number, action: string) => `${index}:${action}`;

/**
 * Runs a scenario's actions in order for one record. Each action's result is in the ledger before
 * the next one starts, so a repeat (a retried activity, a crash) continues after the last done
 * action. An action that is not safe to repeat is marked under way first: finding that mark later
 * means its outcome is unknown, and the record is held in doubt (visible, retryable by a user)
 * instead of risking a second invoice or SMS. An action the provider refuses holds the record
 * with the provider's words; other records go on.
 */
export async function runActions(
  ledger: ScenarioLedger,
  steps: Map<string, StepRow>,
  integrationId: string,
  config: ScenarioConfig,
  target: Target,
  record: PolledRecord,
  released?: string,
): Promise<RecordOutcome> {
  const outcome: RecordOutcome = { done: 0, unchanged: 0, held: 0 };
  const outputs: unknown[] = [];
  for (const [index, step] of config.actions.entries()) {
    const name = stepName(index, step.action);
    const row = steps.get(stepKey(record.dedupeKey, name));
    const rerun = released === name;
    if (row?.state === 'done') {
      outputs[index] = row.detail.output;
      outcome.unchanged++;
      continue;
    }
    if (row?.state === 'held' && !rerun) return { ...outcome, held: 1 };
    if (row?.state === 'under-way') {
      await ledger.holdInDoubt(record.dedupeKey, name, inDoubtReason(index, step.action, target, 'the worker stopped'), record.data);
      return { ...outcome, held: 1 };
    }

    const action = target.connector.actions[step.action];
    if (!action) return hold(ledger, record, name, `${target.connector.name} has no action "${step.action}"`, outcome);
    const input = render(step.input, { record: record.data, actions: outputs }) as Record<string, unknown>;
    const repeats = action.repeats;
    if (typeof repeats === 'object' && input[repeats.key] === undefined) input[repeats.key] = idempotencyKey(integrationId, record.dedupeKey, name);
    const parsed = action.input.safeParse(input);
    if (!parsed.success) {
      return hold(ledger, record, name, `the input of action ${index} (${step.action}) is not valid for this record: ${z.prettifyError(parsed.error)}`, outcome);
    }

    const safe = repeats !== undefined;
    if (!safe) await ledger.markUnderWay(record.dedupeKey, name, record.data);
    let output: unknown;
    try {
      output = await retryBriefly(() => action.run(target.ctx, input), (e) => safe || !outcomeUnknown(e), (d) => target.ctx.heartbeat(d));
    } catch (e) {
      if (isConnectorError(e) && (e.kind === 'validation' || e.kind === 'not-found')) {
        return hold(ledger, record, name, `${target.connector.name} refused action ${index} (${step.action}): ${cut(e.message)}`, outcome);
      }
      if (!safe && outcomeUnknown(e)) {
        // Found under way on the next attempt it would be held in doubt anyway: hold it now and go on with the other records.
        await ledger.holdInDoubt(record.dedupeKey, name, inDoubtReason(index, step.action, target, e), record.data);
        return { ...outcome, held: 1 };
      }
      if (!safe) await ledger.forget(record.dedupeKey, name);
      throw e;
    }
    await ledger.done(record.dedupeKey, name, output);
    outputs[index] = output;
    outcome.done++;
  }
  return outcome;
}

function inDoubtReason(index: number, action: string, target: Target, cause: unknown): string {
  const what = typeof cause === 'string' ? cause : `the call failed without a clear answer (${cut(cause instanceof Error ? cause.message : String(cause))})`;
  return `action ${index} (${action}) may have been carried out: ${what}, and ${target.connector.name} gives no way to tell. Not repeated, so it cannot happen twice; check in ${target.connector.name}, then retry it with confirm: true if it is missing.`;
}

async function hold(ledger: ScenarioLedger, record: PolledRecord, name: string, reason: string, outcome: RecordOutcome): Promise<RecordOutcome> {
  await ledger.hold(record.dedupeKey, name, reason, record.data);
  return { ...outcome, held: 1 };
}

/**
 * Whether a failed call may still have been carried out. A refusal (rate limit, credentials, a
 * rejected input) means the provider did not act; no answer, a garbled answer or any 5xx may come
 * after it did (a gateway answers 502 when the answer, not the request, was lost).
 */
export function outcomeUnknown(e: unknown): boolean {
  return !(e instanceof ConnectorError) || e.kind === 'transient';
}

/** Stable per record version and action, short enough for every provider's key field. */
export function idempotencyKey(integrationId: string, sourceKey: string, step: string): string {
  return `sc-${createHash('sha256').update(`${integrationId}\u0000${sourceKey}\u0000${step}`).digest('base64url').slice(0, 32)}`;
}
