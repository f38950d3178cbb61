/**
 * hey (Debian's 0.1.4): `-c` workers, each a closed loop on its own connection, rate-limited with `-q` queries
 * per second per worker (a Go ticker). So at a fixed rate it behaves like an open model only while every
 * response comes back within one tick; a slower one delays that worker's next request (coordinated omission),
 * and latency is timed from the actual send. `-o csv` gives one row per request; hey prints its times with
 * 4 decimals of a second, so every hey latency is rounded to 0.1 ms.
 */
import { nearestRank } from './load-math.js';
import { runTool } from './run-tool.js';

/** hey's CSV time resolution: "%4.4f" seconds. */
export const HEY_RESOLUTION_US = 100;

export interface HeyRow {
  latencyUs: number;
  status: number;
  /** Seconds from the start of the run to this request's start. */
  offsetSec: number;
}

export interface HeyResult {
  connections: number;
  durationSec: number;
  /** Requests started in the measure window (after warm-up). */
  requests: number;
  /** Responses outside 2xx/3xx in the window, and transport errors (status 0). */
  errors: number;
  achievedRps: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  /** Rows of the whole run, warm-up included: what the CPU figure covers. */
  allRequests: number;
  cpuSeconds: number;
}

/** Parses hey's CSV: response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset. */
export function parseHeyCsv(csv: string): HeyRow[] {
  const lines = csv.split('\n');
  const header = lines.findIndex((l) => l.startsWith('response-time,'));
  if (header === -1) throw new Error('hey printed no CSV header');
  const cols = lines[header]!.split(',');
  const iLat = cols.indexOf('response-time');
  const iStatus = cols.indexOf('status-code');
  const iOffset = cols.indexOf('offset');
  if (iLat < 0 || iStatus < 0 || iOffset < 0) throw new Error(`unexpected hey CSV header: ${lines[header]}`);
  const rows: HeyRow[] = [];
  for (const line of lines.slice(header + 1)) {
    if (!line.includes(',')) continue;
    const f = line.split(',');
    rows.push({
      latencyUs: Number(f[iLat]) * 1e6,
      status: Number(f[iStatus]),
      offsetSec: Number(f[iOffset]),
    });
  }
  return rows;
}

/** Figures of the requests that started in [warmupSec, warmupSec + durationSec). */
export function summarizeHey(rows: readonly HeyRow[], warmupSec: number, durationSec: number) {
  const inWindow = rows.filter((r) => r.offsetSec >= warmupSec && r.offsetSec < warmupSec + durationSec);
  const lat = inWindow.map((r) => r.latencyUs).sort((a, b) => a - b);
  return {
    requests: inWindow.length,
    errors: inWindow.filter((r) => !(r.status >= 200 && r.status < 400)).length,
    achievedRps: inWindow.length / durationSec,
    p50Us: nearestRank(lat, 50),
    p90Us: nearestRank(lat, 90),
    p99Us: nearestRank(lat, 99),
  };
}

export interface HeyOptions {
  url: string;
  connections: number;
  rps: number;
  warmupSec: number;
  durationSec: number;
}

export async function runHey(o: HeyOptions): Promise<HeyResult> {
  const total = o.warmupSec + o.durationSec;
  const run = await runTool(
    [
      'hey',
      '-c',
      String(o.connections),
      '-q',
      String(o.rps / o.connections),
      '-z',
      `${total}s`,
      '-o',
      'csv',
      o.url,
    ],
    (total + 30) * 1000,
  );
  const rows = parseHeyCsv(run.stdout);
  return {
    connections: o.connections,
    durationSec: o.durationSec,
    ...summarizeHey(rows, o.warmupSec, o.durationSec),
    allRequests: rows.length,
    cpuSeconds: run.cpuSeconds,
  };
}
