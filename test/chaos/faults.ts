import type { ChaosBed } from './bed';
import type { Workload } from './workloads';

/**
 * A fault the suite injects at a random moment of a workload. `inject` breaks something and
 * repairs it the way an operator or a supervisor would (a new worker, the server started again on
 * its data); it returns when the service is whole again.
 */
export interface Fault {
  readonly name: string;
  inject(bed: ChaosBed, work: Workload): Promise<void>;
  /**
   * For a fault that lasts (a flaky provider): ends it, as the provider recovering would. The trial
   * calls it after its fault window, so that what the faults held up can finish and be counted.
   */
  heal?(bed: ChaosBed, work: Workload): void;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const workerKill: Fault = {
  name: 'worker SIGKILL',
  async inject(bed) {
    await bed.killWorker();
    await bed.startWorker();
  },
};

export const temporalRestart: Fault = {
  name: 'Temporal server SIGKILL + restart',
  async inject(bed) {
    await bed.killTemporal();
    await pause(2_000);
    await bed.startTemporal();
  },
};

export const postgresRestart: Fault = {
  name: 'PostgreSQL stop + restart',
  async inject(bed) {
    await bed.stopPostgres();
    await pause(2_000);
    await bed.startPostgres();
  },
};

/** One request in five goes wrong from the moment on: 429 and 5xx, answers lost after the work was done, requests never answered, slow answers. */
export const providerFaults: Fault = {
  name: '20% provider faults',
  async inject(_bed, work) {
    work.injectFaults({ failRate: 0.14, statuses: [429, 500, 502, 503], lostAnswerRate: 0.05, timeoutRate: 0.01, delayMs: 150 });
  },
  heal(_bed, work) {
    work.calm();
  },
};

export const FAULTS: Fault[] = [workerKill, temporalRestart, postgresRestart, providerFaults];
