// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers, top to bottom, and what each may import. A layer never imports one above it:
 * processes assemble api and worker; api and activities run the kinds; kinds check configs against
 * accounts through connectors; connectors speak to providers; db and lib are the floor.
 * workflows sit beside activities and import only pure kind code and activity types. ui/ stands
 * apart: it runs in the browser and reaches the server only through the JSON API, so nothing points
 * into it and it points nowhere.
 */
const LAYERS = {
  processes: null, // the top: may import anything
  ui: [], // the web console, bundled for the browser: it talks to the API over HTTP only
  api: ['kinds', 'connectors', 'db', 'lib'],
  activities: ['kinds', 'connectors', 'db', 'lib'],
  kinds: ['connectors', 'db', 'lib'],
  connectors: ['db', 'lib'],
  db: ['lib'],
  lib: [],
};
const ROOTS = [...Object.keys(LAYERS), 'workflows', 'scripts', 'test', 'bench'];
/** Relative imports that climb to the top level and enter `folder` (e.g. ../../activities/x). */
const into = (folder) => `^(\\.\\./)+${folder}(/|$)`;
const layerRules = Object.entries(LAYERS)
  .filter(([, allowed]) => allowed !== null)
  .map(([layer, allowed]) => {
    const forbidden = ROOTS.filter((r) => r !== layer && !allowed.includes(r));
    return {
      files: [`${layer}/**/*.ts`, `${layer}/**/*.tsx`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              // Signals, queries and workflow names are the API's contract with the workflows (types only for the rest).
              ...(layer === 'api' ? [{ regex: into('workflows') + '(?!control$)', allowTypeImports: true, message: 'the API may import workflows/control and workflow types only' }] : []),
              ...(layer === 'kinds' ? [{ regex: into('workflows'), allowTypeImports: true, message: 'a kind names its workflow by type only (import type)' }] : []),
              {
                regex: into(`(${forbidden.filter((f) => f !== 'workflows' || (layer !== 'api' && layer !== 'kinds')).join('|')})`),
                message: `layers point down only: ${layer}/ may import ${allowed.length ? allowed.join(', ') : 'nothing outside itself'} (see ARCHITECTURE.md)`,
              },
            ],
          },
        ],
      },
    };
  });

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.cache/', 'coverage/', 'db/migrations/', '*.config.js', '*.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Workflow code must be deterministic: no I/O, no Node built-ins, no database or connector runtime.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins.flatMap((m) => [m, `node:${m}`]), 'pg', 'express', 'drizzle-orm', 'undici', 'fast-xml-parser', 'pino'].map((name) => ({
            name,
            message: 'workflows must be deterministic: do I/O in an activity',
          })),
          patterns: [
            { group: ['drizzle-orm/*'], message: 'workflows must be deterministic: do I/O in an activity' },
            {
              // Only the pure scheduling and template functions written for workflows, and types.
              regex: `^(?!(\\.\\./)+kinds/sms-send/(next-run|template|zoned-time|config)$)${into('(db|api|lib|processes|connectors|kinds)').slice(1)}`,
              allowTypeImports: true,
              message: 'workflows must not import the database, the API, connectors or runtime helpers (only kinds/sms-send/{next-run,template,zoned-time,config}, and types)',
            },
            { regex: into('activities'), allowTypeImports: true, message: 'import activities as types only (import type …) and call them through proxyActivities' },
          ],
        },
      ],
    },
  },
  ...layerRules,
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
