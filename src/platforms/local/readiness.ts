import { request } from 'node:http';
import type { Target } from '../../engines/engine.js';
import { readPid } from './haproxy-stats.js';
import type { ManagedProcess } from './managed-process.js';
import { isListening } from './ports.js';

/** Waits for a started process to be usable, and fails early, naming it and its output, if it dies first. */
const POLL_MS = 25;

/** Every listener of an HAProxy accepts connections and its stats socket answers for this very pid. */
export async function waitForHaproxy(
  p: ManagedProcess,
  ports: number[],
  statsSocket: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(ports);
  let lastError = '';
  for (;;) {
    if (p.hasExited())
      throw new Error(
        `${p.name} (haproxy) exited during start-up; its configuration was probably rejected. Its output:\n${p.outputTail() || '(none)'}`,
      );
    for (const port of [...pending]) if (await isListening(port)) pending.delete(port);
    if (pending.size === 0) {
      try {
        const pid = await readPid(statsSocket);
        if (pid === p.pid) return;
        lastError = `stats socket ${statsSocket} answers for pid ${pid}, expected ${p.pid}`;
      } catch (e) {
        lastError = `stats socket ${statsSocket}: ${(e as Error).message}`;
      }
    } else lastError = `ports ${[...pending].join(', ')} not listening`;
    if (Date.now() > deadline)
      throw new Error(
        `${p.name} (haproxy) not ready within ${timeoutMs} ms: ${lastError}. Its output:\n${p.outputTail() || '(none)'}`,
      );
    await sleep(POLL_MS);
  }
}

/**
 * Sends `perEndpoint` requests, each on a new connection so that per-connection (L4) balancing rotates too,
 * through every endpoint of the target and expects a 200 with the requested body: proof that the whole chain
 * forwards. Retries until the deadline, since a listener can accept a moment before its upstream is ready;
 * `checkpoint` throws to give up earlier (abort, or the platform went down).
 */
export async function probeTarget(
  target: Target,
  perEndpoint: number,
  timeoutMs: number,
  checkpoint: () => void = () => undefined,
  once: (endpoint: string, timeoutMs: number) => Promise<string | null> = (endpoint, ms) =>
    getOnce(`${endpoint}/?size=7`, 7, ms),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const endpoint of target.endpoints) {
    for (let i = 0; i < perEndpoint; i++) {
      for (;;) {
        const err = await once(endpoint, Math.max(100, deadline - Date.now()));
        if (err === null) break;
        checkpoint();
        if (Date.now() > deadline)
          throw new Error(`no answer through ${endpoint} within ${timeoutMs} ms: ${err}`);
        await sleep(50);
      }
    }
  }
}

/** null on a 200 with `bytes` bytes of body, else what went wrong. */
export function getOnce(url: string, bytes: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (res) => {
        let n = 0;
        res.on('data', (d: Buffer) => (n += d.length));
        res.on('end', () =>
          resolve(res.statusCode === 200 && n === bytes ? null : `status ${res.statusCode}, ${n} bytes`),
        );
        res.on('error', (e) => resolve(e.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve(e.message));
    req.end();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
