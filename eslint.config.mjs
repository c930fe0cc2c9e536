// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
            {
              // lib/ is runtime code, except the pure scheduling and template functions written for workflows.
              group: ['drizzle-orm/*', '../db', '../db/*', '../api', '../api/*', '../lib/*', '!../lib/kinds', '../lib/kinds/*', '!../lib/kinds/sms-send', '../lib/kinds/sms-send/*', '!../lib/kinds/sms-send/next-run', '!../lib/kinds/sms-send/template', '!../lib/kinds/sms-send/zoned-time', '!../lib/kinds/sms-send/config'],
              message: 'workflows must not import the database, the API or runtime helpers (only lib/kinds/sms-send/{next-run,template,zoned-time,config})',
            },
            { group: ['../activities', '../activities/*', '../activities/**'], allowTypeImports: true, message: 'import activities as types only (import type …) and call them through proxyActivities' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
