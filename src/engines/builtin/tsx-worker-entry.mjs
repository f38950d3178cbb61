// Worker entry used only when meshbench runs from its TypeScript sources (vitest, tsx): Node 20 does not apply
// tsx's `--import tsx` hooks to a worker thread's own entry module (it fails with ERR_UNKNOWN_FILE_EXTENSION),
// so this plain-JS entry registers tsx inside the worker and then imports the .ts worker module.
// Compiled runs (dist/*.js) start worker.js directly and never load this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsxEntry);
