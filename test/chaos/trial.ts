import { mulberry32 } from '../fakes/fake-server';
import type { ChaosBed } from './bed';
import type { Fault } from './faults';
import type { Workload } from './workloads';

/** Seeded, so a failing run can be replayed with CHAOS_SEED. */
export const seeded = mulberry32;

export interface TrialResult {
  trial: number;
  workload: string;
  fault: string;
  /** Share of the work done when the fault struck. */
  moment: number;
  /** From the fault to the first item that arrived after the service was whole again, ms. */
  recoveryMs: number | null;
  /** How long a lasting fault (a flaky provider) went on before it was healed, ms; null for a one-off fault. */
  faultMs: number | null;
  /** From the start of the workload to its last item, ms. */
  totalMs: number;
  expected: number;
  /** Items missing once the integration said it was done: null when it never got there in time. */
  lost: number | null;
  /** Items still missing when the trial ran out of time while the integration was still working. */
  unfinished: number;
  duplicated: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok()) return Date.now();
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(everyMs);
  }
}

/**
 * Runs one workload, strikes it with the fault when a random share of it (10–80%) has arrived,
 * waits for the rest, and counts in the fakes what was lost or sent twice. The trial does not
 * assert: the suite does, over the table, so every trial's row is printed first.
 */
export async function runTrial(trial: number, bed: ChaosBed, start: () => Promise<Workload>, fault: Fault, random: () => number, timeoutMs: number, faultWindowMs: number): Promise<TrialResult> {
  const began = Date.now();
  const work = await start();
  const moment = 0.1 + random() * 0.7;
  const row = { trial, workload: work.name, fault: fault.name, moment, expected: work.expected };
  let recoveryMs: number | null = null;
  let faultMs: number | null = null;
  try {
    await until(`${Math.round(moment * 100)}% of ${work.name}`, () => work.progress() >= work.expected * moment, timeoutMs, 20);
    const struckAt = Date.now();
    await fault.inject(bed, work);
    const whole = work.progress();
    if (whole < work.expected) {
      await until('the first item after the fault', () => work.progress() > whole, timeoutMs, 50);
      recoveryMs = Date.now() - struckAt;
    }
    if (fault.heal) {
      // A flaky provider is not flaky forever: after the window it recovers, and what it held up
      // (requests left hanging until their timeout included) must still arrive, once.
      await until(`all of ${work.name} under faults`, () => work.progress() >= work.expected, faultWindowMs, 200).catch(() => undefined);
      fault.heal(bed, work);
      faultMs = Date.now() - struckAt;
    }
    const last = await until(`all of ${work.name}`, () => work.progress() >= work.expected, timeoutMs, 200);
    await until(`${work.name} to settle`, () => work.settled(), timeoutMs, 500);
    await pause(2_000); // anything still in flight lands now and would show as doubled
    const { lost, duplicated } = work.tally();
    return { ...row, recoveryMs, faultMs, totalMs: last - began, lost, unfinished: 0, duplicated };
  } catch (e) {
    // Out of time. If the integration still says it is working, what is missing is unfinished;
    // if it says it is done, what is missing is lost.
    const status = JSON.stringify(await work.status().catch((err: unknown) => String(err)));
    process.stderr.write(`[chaos] trial ${trial} (${work.name}, ${fault.name}): ${e instanceof Error ? e.message : String(e)}; ${work.progress()} of ${work.expected} arrived; status ${status}\n`);
    const { lost, duplicated } = work.tally();
    const done = await work.settled().catch(() => false);
    return { ...row, recoveryMs, faultMs, totalMs: Date.now() - began, lost: done ? lost : null, unfinished: done ? 0 : lost, duplicated };
  } finally {
    await work.close();
  }
}

export function table(results: TrialResult[]): string {
  const head = ['trial', 'workload', 'fault', 'moment', 'recovery', 'faults for', 'total', 'lost', 'unfinished', 'duplicated'];
  const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const rows = results.map((r) => [
    String(r.trial),
    r.workload,
    r.fault,
    `${Math.round(r.moment * 100)}%`,
    seconds(r.recoveryMs),
    seconds(r.faultMs),
    seconds(r.totalMs),
    r.lost === null ? '?' : String(r.lost),
    String(r.unfinished),
    String(r.duplicated),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
