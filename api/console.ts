import { Router, type Request } from 'express';
import type { ApiDeps } from './deps';
import { consoleBundle } from './console-bundle';

/**
 * Only our own files, no inline script or style (preact sets no style attributes here: the console
 * styles by class), no framing. The token lives in sessionStorage, so an injected script is the
 * threat this keeps out.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A browser asking for a page (its Accept prefers HTML); `*\/*` and JSON clients keep the API's answer. */
export const prefersHtml = (req: Request) => req.accepts(['json', 'html']) === 'html';

/** The console's own settings: only what a page needs to draw links, nothing secret. */
export interface ConsoleSettings {
  temporalUiUrl: string;
  namespace: string;
}

/** The web console at /ui/: static, served before the token check (the browser gives the token to the JSON API, not to the page). */
export function consoleRouter(deps: Pick<ApiDeps, 'log' | 'temporalUiUrl'> & { namespace?: string }): Router {
  const router = Router();
  const ready = consoleBundle().then((b) => {
    deps.log.info({ buildMs: b.buildMs, files: [...b.assets.keys()] }, 'console built');
    return b;
  });
  // Unhandled only until the first request awaits it; a failed build is answered as a 500 per request.
  ready.catch((err: unknown) => deps.log.error({ err }, 'the console could not be built'));
  const settings: ConsoleSettings = { temporalUiUrl: (deps.temporalUiUrl ?? 'http://127.0.0.1:8233').replace(/\/+$/, ''), namespace: deps.namespace ?? 'default' };

  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', CONSOLE_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });
  router.get('/settings.json', (_req, res) => void res.setHeader('cache-control', 'no-store').json(settings));
  router.get('/{*file}', async (req, res) => {
    const { assets } = await ready;
    const name = req.path === '/' ? 'index.html' : req.path.slice(1);
    const asset = assets.get(name);
    if (!asset) {
      res.status(404).type('text/plain').send(`no console file ${name}`);
      return;
    }
    // index.html is always fresh; the bundle changes only with a new release of the process.
    res.setHeader('cache-control', name === 'index.html' ? 'no-cache' : 'public, max-age=300');
    res.type(asset.type).send(asset.body);
  });
  return router;
}
