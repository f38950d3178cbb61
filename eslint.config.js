// @ts-check
// ESLint keeps the boundaries that docs/ARCHITECTURE.md states, so that they are checked, not only written:
// everything after results.json is pure (no file system, processes, sockets, platforms or engines), and only
// src/cli.ts and src/commands/ print or exit. Prettier keeps the formatting (npm run lint runs both).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node modules that do I/O: files, processes, sockets, threads. */
const IO_MODULES = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'worker_threads',
].flatMap((m) => [m, `node:${m}`]);

const PURE = ['analysis', 'compare', 'cost', 'history', 'report', 'size', 'stats', 'units'];

/**
 * The pure side's named writers and reader: the only files there that touch the file system, each for one
 * job (writing a run's or a sizing's report files, reading Vega's browser builds to inline them).
 */
const NAMED_IO = [
  'src/report/run/write-report.ts',
  'src/report/size/write.ts',
  'src/report/shared/vega-assets.ts',
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'reports/**', 'native/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        __ENV: 'readonly',
        __VU: 'readonly',
        __ITER: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Printing and exiting belong to the CLI's edge (k6 keeps the same rule for its global state).
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts', 'src/commands/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'return an ExitCode to src/cli.ts instead' },
        { object: 'process', property: 'exitCode', message: 'return an ExitCode to src/cli.ts instead' },
      ],
    },
  },
  {
    // Pure after results.json: data in, data out. I/O belongs to src/commands/ and the named writers.
    files: PURE.map((d) => `src/${d}/**/*.ts`),
    ignores: NAMED_IO,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IO_MODULES.map((name) => ({
            name,
            message: 'pure code takes data and returns data: do I/O in src/commands/ or a named writer',
          })),
          patterns: [
            {
              group: ['**/platforms/**', '**/runner/**', '**/commands/**', '**/files/**'],
              message: 'pure code may not reach the platforms, the runner, the commands or the file writers',
            },
            {
              // The k6 diagnosis is pure (it reads a LatencyResult): the report explains what it found.
              regex: '/engines/(?!k6/diagnosis\\.js$)',
              message: 'pure code may not reach the engines',
            },
          ],
        },
      ],
    },
  },
  {
    // Test doubles speak arbitrary JSON (a fake API server, manifests), and assertions match printed text,
    // runs of spaces included.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-regex-spaces': 'off' },
  },
  {
    // Standalone child programs (the local app servers), not library code: they end their own process.
    files: ['src/platforms/local/app-server.ts', 'src/platforms/local/protocol-app.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
