import type { Request, RequestHandler, Response } from 'express';
import { auditLog } from '../db/schema';
import { loggableError } from '../db/errors';
import type { ApiDeps } from './deps';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** As nginx logs it: the client closed the connection before the answer (whose status is not known yet). */
const CLOSED_BEFORE_ANSWER = 499;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The resource a change touched: a created one's id from its Location, else the last id in the path. */
function resourceOf(path: string, res: Response): string | null {
  const location = res.getHeader('location');
  const fromLocation = typeof location === 'string' && location.startsWith('/') ? location.split('?')[0]!.split('/').pop() : undefined;
  if (fromLocation && UUID.test(fromLocation)) return fromLocation;
  return path.split('/').filter((s) => UUID.test(s)).pop() ?? null;
}

export interface Audit {
  /** Behind the token check: every change is logged with its client when its answer has gone. */
  record: RequestHandler;
  /** Resolves when the rows of changes answered so far are written (GET /audit reads its own writes). */
  settled(): Promise<void>;
}

/**
 * Each change (any method but GET/HEAD/OPTIONS), whatever its outcome — a 403 or a 422 is an
 * attempt worth knowing of — gets a log line naming the client and a row in audit_log. The line
 * is the record that cannot be lost; the row is written after the answer and, should the database
 * refuse it, the failure is logged next to the line.
 */
export function createAudit(deps: Pick<ApiDeps, 'database' | 'log'>): Audit {
  const pending = new Set<Promise<unknown>>();

  function write(req: Request, res: Response, status: number) {
    const client = req.apiClient;
    if (!client) return;
    // originalUrl: a mounted router has rewritten req.url by now. The query is left out.
    const path = req.originalUrl.split('?')[0]!;
    const entry = { at: new Date(), clientId: client.id, clientName: client.name, method: req.method, path, status, resourceId: resourceOf(path, res), requestId: typeof req.id === 'string' ? req.id : null };
    deps.log.info({ audit: { ...entry, role: client.role } }, `${client.name} (${client.id}): ${req.method} ${path} → ${status}`);
    const insert = deps.database.db
      .insert(auditLog)
      .values(entry)
      .catch((err: unknown) => deps.log.error({ err: loggableError(err), audit: entry }, 'audit row not written'))
      .finally(() => pending.delete(insert));
    pending.add(insert);
  }

  return {
    record(req, res, next) {
      if (!READS.has(req.method)) {
        let done = false;
        const once = () => {
          if (done) return;
          done = true;
          // The caller hung up before its answer: the change may still happen, so it is written down now.
          write(req, res, res.writableFinished ? res.statusCode : CLOSED_BEFORE_ANSWER);
        };
        res.once('finish', once);
        res.once('close', once);
      }
      next();
    },
    async settled() {
      await Promise.all([...pending]);
    },
  };
}
