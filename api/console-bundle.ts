import path from 'node:path';
import { build } from 'esbuild';

export interface ConsoleAsset {
  type: string;
  body: Buffer;
}

export interface ConsoleBundle {
  /** By path under /ui/ (e.g. `console.js`). */
  assets: Map<string, ConsoleAsset>;
  buildMs: number;
}

const UI_DIR = path.resolve(__dirname, '..', 'ui');
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8' };

/** The page itself: one script and one stylesheet of our own, nothing inline (the CSP forbids it). */
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Integrations console</title>
<link rel="stylesheet" href="/ui/console.css">
<script type="module" src="/ui/console.js"></script>
</head>
<body>
<div id="app"><noscript>The console needs JavaScript.</noscript></div>
</body>
</html>
`;

async function bundle(): Promise<ConsoleBundle> {
  const started = performance.now();
  // In memory: the image's source is read-only, and `npm start` needs no build step before it.
  const result = await build({
    entryPoints: { console: path.join(UI_DIR, 'main.tsx') },
    bundle: true,
    write: false,
    outdir: '/ui',
    format: 'esm',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(UI_DIR, 'tsconfig.json'),
    loader: { '.css': 'css' },
    logLevel: 'silent',
  });
  const assets = new Map<string, ConsoleAsset>([['index.html', { type: TYPES['.html']!, body: Buffer.from(INDEX_HTML) }]]);
  for (const file of result.outputFiles) {
    const name = path.posix.relative('/ui', file.path);
    assets.set(name, { type: TYPES[path.extname(name)] ?? 'application/octet-stream', body: Buffer.from(file.contents) });
  }
  return { assets, buildMs: Math.round(performance.now() - started) };
}

let built: Promise<ConsoleBundle> | undefined;
/** Built once per process, on the first API start; later starts (tests start several) reuse it. */
export function consoleBundle(): Promise<ConsoleBundle> {
  built ??= bundle();
  return built;
}
