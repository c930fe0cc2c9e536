import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded';
import { startTemporalDevServer, type DevServer } from '../../lib/dev/temporal-dev-server';
import { startHarness, type Harness } from '../support/harness';
import { spawnWorker } from '../support/worker-process';

type Worker = ReturnType<typeof spawnWorker>;

/**
 * Everything a chaos trial may break, owned by the suite alone: a Temporal dev server on its own
 * SQLite file, a PostgreSQL server on its own folder and port, and a worker in its own OS process.
 * Each of them can be killed and started again on the same data, as an operator's machine would.
 */
export class ChaosBed {
  private constructor(
    private readonly dir: string,
    private temporalServer: DevServer,
    private readonly temporalPort: number,
    private postgres: EmbeddedDatabase,
    private readonly postgresDir: string,
    private readonly postgresPort: number,
    readonly h: Harness,
  ) {}

  private worker: Worker | undefined;

  static async start(): Promise<ChaosBed> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-'));
    const temporalPort = await freePort();
    const temporal = await startTemporalDevServer({ port: temporalPort, uiPort: null, dbFile: path.join(dir, 'temporal.db') });
    // Under the project's git-ignored .cache: the postgres user can enter it (a 0700 tmp folder it could not).
    const postgresDir = path.resolve(__dirname, '..', '..', '.cache', `chaos-postgres-${randomBytes(4).toString('hex')}`);
    const postgresPort = await freePort();
    const postgres = await startEmbeddedPostgres(postgresDir, { port: postgresPort });
    const h = await startHarness({ temporalAddress: temporal.address, postgresUrl: postgres.url, noWorker: true });
    return new ChaosBed(dir, temporal, temporalPort, postgres, postgresDir, postgresPort, h);
  }

  /** The environment of the suite's worker process: small pages so a crash lands mid-work, a short doubt wait. */
  private workerEnv(): Record<string, string> {
    return { PUBLIC_URL: this.h.api.url, ORDER_SYNC_PAGE_SIZE: '100', SMS_CHUNK_SIZE: '100', SMS_DOUBT_WAIT_SECONDS: '90' };
  }

  async startWorker(): Promise<void> {
    const worker = spawnWorker(this.h, this.workerEnv());
    this.worker = worker;
    await worker.ready;
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut off. */
  async killWorker(): Promise<void> {
    await this.worker?.kill();
    this.worker = undefined;
  }

  async killTemporal(): Promise<void> {
    this.temporalServer.process.kill('SIGKILL');
    await new Promise((r) => this.temporalServer.process.once('exit', r));
  }

  async startTemporal(): Promise<void> {
    this.temporalServer = await startTemporalDevServer({ port: this.temporalPort, uiPort: null, dbFile: path.join(this.dir, 'temporal.db') });
  }

  async stopPostgres(): Promise<void> {
    await this.postgres.stop();
  }

  async startPostgres(): Promise<void> {
    this.postgres = await startEmbeddedPostgres(this.postgresDir, { port: this.postgresPort });
  }

  async close(): Promise<void> {
    await this.killWorker();
    await this.h.close().catch(() => undefined);
    await this.postgres.stop().catch(() => undefined);
    await this.temporalServer.stop().catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.postgresDir, { recursive: true, force: true });
  }
}
