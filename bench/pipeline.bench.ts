/**
 * Pipeline: ingest and report times for large results, relayed from the two benches that measure them
 * (bench/k6-ingest.bench.ts and bench/report.bench.ts, run as they are, each in its own process).
 *
 *   npx tsx bench/pipeline.bench.ts                  # k6 ingest of 200 MB (CSV and JSON), report build
 *   npx tsx bench/pipeline.bench.ts --size-mb 500
 *
 * Their printed figures are parsed; a format this parser does not recognise is reported as such, with the
 * bench's own output kept in the detail, rather than guessed at. Targets are those benches' own: ingest at
 * least 50 MB/s, a full report build under 5 s.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { argNumber } from './lib/args.js';
import { killTree, onCleanup } from './lib/cleanup.js';
import { REPO_ROOT } from './lib/cli-entry.js';
import { textTable, type Figure, type SectionResult } from './lib/figures.js';
import { describeMachine, loadAverage, machine } from './lib/machine.js';

/** bench/k6-ingest.bench.ts's target (its header: "throughput >= 50 MB/s"). */
export const INGEST_TARGET_MB_PER_S = 50;
/** bench/report.bench.ts's target (its header: "under 5 s on a 2-core machine"). */
export const REPORT_TARGET_SECONDS = 5;

export interface IngestRow {
  format: string;
  sizeMB: number;
  seconds: number;
  mbPerSecWall: number;
  peakRssMiB: number;
}

/**
 * Rows of k6-ingest's table: "format  size MB  seconds  MB/s wall  MB/s CPU  Mreq/s CPU  requests(measure)
 * RSS before MiB  peak RSS MiB  retained heap MiB", one whitespace-separated line per format and size.
 */
export function parseIngestTable(stdout: string): IngestRow[] {
  const rows: IngestRow[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 10 || !(f[0] === 'csv' || f[0] === 'json')) continue;
    const n = f.slice(1).map(Number);
    if (n.some((x) => !Number.isFinite(x))) continue;
    rows.push({ format: f[0], sizeMB: n[0]!, seconds: n[1]!, mbPerSecWall: n[2]!, peakRssMiB: n[7]! });
  }
  return rows;
}

export interface ReportFigures {
  medianSeconds: number;
  runsSeconds: number[];
  peakRssMiB: number;
}

/** report.bench's "total, median   X s" and "peak RSS   N MiB" lines. */
export function parseReportOutput(stdout: string): ReportFigures | undefined {
  const median = /total, median\s+([\d.]+) s/.exec(stdout);
  const runs = /total, per run\s+(.+)$/m.exec(stdout);
  const rss = /peak RSS\s+([\d.]+) MiB/.exec(stdout);
  if (!median) return undefined;
  return {
    medianSeconds: Number(median[1]),
    runsSeconds: (runs?.[1] ?? '')
      .split(',')
      .map((s) => Number.parseFloat(s))
      .filter(Number.isFinite),
    peakRssMiB: rss ? Number(rss[1]) : NaN,
  };
}

async function runBench(file: string, args: string[]): Promise<{ stdout: string; seconds: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', file), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // SIGINT lets those benches remove their own temp files; SIGKILL of the pid follows only if it hangs on.
  const stop = onCleanup(() => {
    if (proc.exitCode === null) {
      proc.kill('SIGINT');
      setTimeout(() => killTree(proc.pid, false), 2000).unref();
    }
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (c) => resolve(c));
  });
  stop();
  if (code !== 0) throw new Error(`bench/${file} exited with ${code}:\n${err}`);
  return { stdout: out, seconds: (performance.now() - t0) / 1000 };
}

export async function pipeline(
  o: { sizeMB?: number; log?: (s: string) => void } = {},
): Promise<SectionResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const sizeMB = o.sizeMB ?? 200;
  const figures: Figure[] = [];
  const detail: string[] = [];

  log(`pipeline: bench/k6-ingest.bench.ts --size-mb ${sizeMB} (CSV and JSON)...`);
  const ingest = await runBench('k6-ingest.bench.ts', ['--size-mb', String(sizeMB)]);
  const rows = parseIngestTable(ingest.stdout);
  detail.push(`bench/k6-ingest.bench.ts --size-mb ${sizeMB}:\n${ingest.stdout.trim()}`);
  if (rows.length === 0)
    figures.push({
      section: 'pipeline',
      name: 'k6 ingest',
      target: '-',
      measured: 'output not recognised',
      versus: '-',
      ratio: NaN,
    });
  for (const r of rows) {
    const ratio = r.mbPerSecWall / INGEST_TARGET_MB_PER_S;
    figures.push({
      section: 'pipeline',
      name: `k6 ingest, ${r.sizeMB} MB ${r.format}`,
      target: `>= ${INGEST_TARGET_MB_PER_S} MB/s`,
      measured: `${r.seconds.toFixed(2)} s, ${r.mbPerSecWall.toFixed(0)} MB/s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
      versus: `target ${INGEST_TARGET_MB_PER_S} MB/s`,
      ratio,
      pass: ratio >= 1,
    });
  }

  log('pipeline: bench/report.bench.ts (5 modes x 3 tiers x 5 repetitions, 3 builds)...');
  const report = await runBench('report.bench.ts', []);
  detail.push(`bench/report.bench.ts:\n${report.stdout.trim()}`);
  const rep = parseReportOutput(report.stdout);
  figures.push(
    rep
      ? {
          section: 'pipeline',
          name: 'report build (75 cells)',
          target: `< ${REPORT_TARGET_SECONDS} s`,
          measured: `median ${rep.medianSeconds.toFixed(2)} s, peak RSS ${rep.peakRssMiB.toFixed(0)} MiB`,
          versus: `target ${REPORT_TARGET_SECONDS} s`,
          ratio: rep.medianSeconds / REPORT_TARGET_SECONDS,
          pass: rep.medianSeconds < REPORT_TARGET_SECONDS,
        }
      : {
          section: 'pipeline',
          name: 'report build',
          target: '-',
          measured: 'output not recognised',
          versus: '-',
          ratio: NaN,
        },
  );
  return { figures, detail: detail.join('\n\n') };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`machine: ${describeMachine(machine())}; load average at start ${loadAverage()}`);
  const sizeMB = argNumber('--size-mb');
  const r = await pipeline(sizeMB ? { sizeMB } : {});
  console.log(`\n${r.detail}\n\n${textTable(r.figures)}\nload average at end ${loadAverage()}`);
}
