import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoadHooks } from '../engine.js';
import { nodeScript } from '../../runtime/node-script.js';
import type { LoadPlan, ParentMessage, WorkerEvent, WorkerResult } from './protocol.js';

/** How run() rejects when hooks.signal aborts it. */
export class AbortError extends Error {
  constructor(message = 'load run aborted', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

/**
 * Starts worker.js (compiled) or worker.ts (sources, through tsx). nodeScript's execArgv (`--import tsx`) works
 * for child processes but not for a worker's entry on Node 20, so from sources a small JS entry registers tsx
 * first (tsx-worker-entry.mjs).
 */
function startWorker(): Worker {
  const script = nodeScript('worker', import.meta.url);
  if (script.execArgv.length === 0) return new Worker(script.file);
  const entry = new URL('tsx-worker-entry.mjs', import.meta.url);
  return new Worker(entry, { workerData: { tsxEntry: pathToFileURL(script.file).href } });
}

/**
 * A worker started ahead of time, so that the next cell does not wait for one to load its modules (about
 * 0.25 s from dist, 1 s under tsx: over a 45-cell run that was most of the harness overhead). It is made while
 * the current cell warms up (when the warm-up is long enough to hide its start-up), else when the measure
 * window closes, so its start-up never overlaps a measure window. Unref'd: it never keeps the process alive.
 */
let spare: Worker | undefined;
/** A warm-up at least this long hides a spare worker's start-up (measured ~0.25 s on a 2-core VM). */
const SPARE_DURING_WARMUP_MIN_SEC = 0.5;

function onSpareError(): void {
  spare = undefined;
}

function prepareSpare(): void {
  if (spare) return;
  spare = startWorker();
  spare.unref();
  spare.once('error', onSpareError);
}

function takeWorker(): Worker {
  const w = spare ?? startWorker();
  spare = undefined;
  w.off('error', onSpareError);
  w.ref();
  return w;
}

/**
 * Runs one plan in a worker thread and relays its events to the hooks. The worker is always terminated before
 * this settles (success, error or abort), which also closes every socket it opened.
 */
export async function runInWorker(plan: LoadPlan, hooks: LoadHooks): Promise<WorkerResult> {
  const { signal } = hooks;
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
  const worker = takeWorker();
  if (plan.warmupSec >= SPARE_DURING_WARMUP_MIN_SEC) prepareSpare();
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<WorkerResult>((resolve, reject) => {
      onAbort = () => reject(new AbortError(undefined, { cause: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('error', reject);
      worker.on('exit', (code) =>
        reject(new Error(`builtin load worker exited (code ${code}) before it finished`)),
      );
      worker.on('message', (e: WorkerEvent) => {
        try {
          switch (e.event) {
            case 'progress':
              hooks.onProgress?.(e.progress);
              break;
            case 'measure-start':
              hooks.onMeasureStart?.();
              break;
            case 'measure-end':
              hooks.onMeasureEnd?.();
              prepareSpare();
              break;
            case 'done':
              resolve(e.result);
              break;
            case 'error':
              reject(new Error(`builtin load worker failed: ${e.message}`));
              break;
          }
        } catch (err) {
          // A hook that throws ends the run: its caller's state is no longer what the run assumes.
          reject(err);
        }
      });
      const start: ParentMessage = { type: 'start', plan };
      worker.postMessage(start);
    });
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    worker.removeAllListeners('message');
    await worker.terminate();
  }
}
