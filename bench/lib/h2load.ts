/**
 * h2load (nghttp2's HTTP/2 load tool, package nghttp2-client) as the h2c yardstick: `--rps` paces each client
 * (connection) at a fixed request rate, `-m` lets each multiplex streams as the engine does, and `--log-file`
 * gives every request's duration, from which exact percentiles are taken here. What it is not: an open-model
 * client timed from the intended send time. h2load times each request from the moment it submits it, so a
 * request it sends late is timed from then: its figures are a lower bound for a coordinated-omission-corrected
 * engine's, not a like-for-like peer as the C reference client is for HTTP/1.1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup, removeDirSync } from './cleanup.js';
import { nearestRank } from './load-math.js';
import { runTool } from './run-tool.js';

export const H2LOAD = process.env.H2LOAD ?? 'h2load';

export function h2loadVersion(): string | undefined {
  try {
    return execFileSync(H2LOAD, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export interface H2loadRun {
  requests: number;
  failed: number;
  achievedRps: number;
  /** From the moment h2load submitted each request, microseconds. */
  p50Us: number;
  p90Us: number;
  p99Us: number;
  cpuSeconds: number;
}

export async function runH2load(o: {
  url: string;
  rps: number;
  connections: number;
  durationSec: number;
  warmupSec: number;
}): Promise<H2loadRun> {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-h2load-'));
  const undo = onCleanup(() => removeDirSync(dir));
  try {
    const log = join(dir, 'requests.tsv');
    const r = await runTool(
      [
        H2LOAD,
        '-c',
        String(o.connections),
        '-t',
        '1',
        '-m',
        '64',
        '--rps',
        String(o.rps / o.connections),
        '-D',
        String(o.durationSec),
        '--warm-up-time',
        String(o.warmupSec),
        '--log-file',
        log,
        o.url,
      ],
      (o.durationSec + o.warmupSec) * 1000 + 20_000,
    );
    if (r.code !== 0) throw new Error(`h2load exited with ${r.code}: ${r.stderr.slice(-300)}`);
    // One row per request of the measured duration: start (us since epoch), status (-1: failed), duration (us).
    const rows = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    const ok = rows.filter((x) => Number(x[1]) > 0);
    const times = ok.map((x) => Number(x[2])).sort((a, b) => a - b);
    return {
      requests: rows.length,
      failed: rows.length - ok.length,
      achievedRps: rows.length / o.durationSec,
      p50Us: nearestRank(times, 50),
      p90Us: nearestRank(times, 90),
      p99Us: nearestRank(times, 99),
      cpuSeconds: r.cpuSeconds,
    };
  } finally {
    undo();
  }
}
