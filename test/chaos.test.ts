import fs from 'node:fs';
import path from 'node:path';
import { ChaosBed } from './chaos/bed';
import { FAULTS } from './chaos/faults';
import { runTrial, seeded, table, type TrialResult } from './chaos/trial';
import { orderSyncWorkload, smsSendWorkload } from './chaos/workloads';

/**
 * The chaos suite: every fault, at random moments, against the two long workloads; nothing may be
 * lost or sent twice, as the fakes count it. `npm test` runs the short version (one trial per
 * fault and workload, small volumes); `npm run chaos` the full one (10 trials each, 10,000 orders
 * and 5,000 SMS). CHAOS_SEED replays a run.
 */
const TRIALS = Number(process.env.CHAOS_TRIALS ?? 1);
const ORDERS = Number(process.env.CHAOS_ORDERS ?? 600);
const SMS = Number(process.env.CHAOS_SMS ?? 500);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const TRIAL_TIMEOUT_MS = Number(process.env.CHAOS_TRIAL_TIMEOUT_MS ?? 240_000);
/** How long provider faults last before the provider recovers (a request left hanging still waits out its timeout, up to 180 s). */
const FAULT_WINDOW_MS = Number(process.env.CHAOS_FAULT_WINDOW_MS ?? 60_000);

describe('chaos: faults at random moments lose nothing and send nothing twice', () => {
  let bed: ChaosBed;
  const results: TrialResult[] = [];

  beforeAll(async () => {
    bed = await ChaosBed.start();
    await bed.startWorker();
  }, 240_000);
  afterAll(async () => {
    if (results.length > 0) {
      const report = `[chaos] seed ${SEED}, ${TRIALS} trial(s) per fault and workload, ${ORDERS} orders, ${SMS} SMS, provider faults for up to ${FAULT_WINDOW_MS / 1000} s\n${table(results)}\n`;
      process.stderr.write(`\n${report}`);
      // Kept (git-ignored) so the README's figures can be taken from the last full run.
      const dir = path.resolve(__dirname, '..', 'test-output', 'chaos');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${new Date().toISOString().replaceAll(':', '-')}.md`), report);
    }
    await bed?.close();
  });

  const random = seeded(SEED);
  const workloads = [
    { name: 'order sync', start: () => orderSyncWorkload(bed.h, ORDERS) },
    { name: 'SMS send', start: () => smsSendWorkload(bed.h, SMS) },
  ];
  for (const fault of FAULTS) {
    for (const work of workloads) {
      it(`${fault.name} during ${work.name}: ${TRIALS} trial(s)`, async () => {
        const mine: TrialResult[] = [];
        for (let i = 0; i < TRIALS; i++) {
          const result = await runTrial(results.length + 1, bed, work.start, fault, random, TRIAL_TIMEOUT_MS, FAULT_WINDOW_MS);
          results.push(result);
          mine.push(result);
        }
        // Finished (nothing left outstanding), nothing lost, nothing twice.
        expect(mine.map((r) => ({ trial: r.trial, lost: r.lost, unfinished: r.unfinished, duplicated: r.duplicated }))).toEqual(mine.map((r) => ({ trial: r.trial, lost: 0, unfinished: 0, duplicated: 0 })));
      }, TRIALS * (FAULT_WINDOW_MS + 3 * TRIAL_TIMEOUT_MS + 60_000));
    }
  }
});
