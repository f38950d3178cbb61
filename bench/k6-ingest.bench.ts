/**
 * Ingest throughput and peak memory of k6 raw output (src/engines/k6/ingest.ts).
 *
 *   npx tsx bench/k6-ingest.bench.ts                    # 100 MB and 1 GB, CSV and JSON lines
 *   npx tsx bench/k6-ingest.bench.ts --size-mb 200      # one size
 *   npx tsx bench/k6-ingest.bench.ts --format csv       # one format
 *
 * Targets (issue): memory flat in file size, throughput >= 50 MB/s. The big files are synthetic: the data lines
 * of a real k6 v0.48 run (shared/fixtures/k6/ok-200rps) repeated into a temp file until it reaches the size, so
 * the mix of metrics, tags and warm-up rows is k6's own. Each ingest runs in a fresh child process, so its peak
 * RSS (getrusage maxrss) is that of one ingest alone and not of the generator or an earlier, larger run.
 * The temp files are deleted afterwards, also on error and Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestK6Output, type K6OutputFormat } from '../src/engines/k6/ingest.js';

const FIXTURE_DIR = fileURLToPath(new URL('../../shared/fixtures/k6/ok-200rps/', import.meta.url));
const MB = 1e6;
const TARGET_MB_PER_S = 50;

interface ChildReport {
  seconds: number;
  /** User + system CPU time of the ingest: throughput per CPU-second does not depend on how busy the box is. */
  cpuSeconds: number;
  bytes: number;
  lines: number;
  requests: number;
  warmupRequests: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  /** Heap still in use after the ingest and a full GC, its result (histogram, counts) alive: what ingest keeps. */
  retainedHeapMiB: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** Writes `sizeBytes` of k6 output: the fixture's header (CSV), then its data lines over and over. */
async function generate(path: string, format: K6OutputFormat, sizeBytes: number): Promise<number> {
  const text = await readFile(join(FIXTURE_DIR, format === 'csv' ? 'out.csv' : 'out.json'), 'utf8');
  const lines = text.trimEnd().split('\n');
  const header = format === 'csv' ? `${lines.shift() ?? ''}\n` : '';
  const body = lines.join('\n') + '\n';
  // 4 MB blocks of whole lines: few writes, and memory stays at one block whatever the file size.
  const block = body.repeat(Math.max(1, Math.floor((4 * MB) / body.length)));
  const out = createWriteStream(path);
  let written = 0;
  const write = async (s: string): Promise<void> => {
    written += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(header);
  while (written + block.length <= sizeBytes) await write(block);
  // Top up with whole lines of one more pass, so the file ends at a line boundary, as k6's do.
  for (const line of lines) {
    if (written >= sizeBytes) break;
    await write(`${line}\n`);
  }
  out.end();
  await once(out, 'close');
  return (await stat(path)).size;
}

/** In the child: one ingest, timed, with the process's peak RSS. */
async function child(path: string, format: K6OutputFormat): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const r = await ingestK6Output(path, { format, timeoutMs: 5000 });
  const cpu = process.cpuUsage(cpu0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  (globalThis as { gc?: () => void }).gc?.();
  const retainedHeapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  const report: ChildReport = {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    bytes: r.bytes,
    lines: r.lines,
    requests: r.requests,
    warmupRequests: r.warmup.requests,
    rssBeforeMiB: rssBefore / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024, // maxRSS is in KiB
    retainedHeapMiB, // r is used in this object, so the histogram was alive through the GC above
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

async function measure(path: string, format: K6OutputFormat): Promise<ChildReport> {
  const self = fileURLToPath(import.meta.url);
  const proc = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', self, '--child', path, '--format', format],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const [code] = (await once(proc, 'close')) as [number | null];
  if (code !== 0) throw new Error(`ingest child exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildReport;
}

async function main(): Promise<void> {
  const childPath = arg('--child');
  const formatArg = arg('--format');
  if (formatArg !== undefined && formatArg !== 'csv' && formatArg !== 'json')
    throw new Error('--format takes csv or json');
  if (childPath !== undefined) return child(childPath, (formatArg ?? 'csv') as K6OutputFormat);

  const sizeArg = arg('--size-mb');
  const sizes = sizeArg !== undefined ? [Number(sizeArg)] : [100, 1000];
  if (sizes.some((s) => !(s > 0))) throw new Error('--size-mb takes a positive number');
  const formats: K6OutputFormat[] = formatArg !== undefined ? [formatArg as K6OutputFormat] : ['csv', 'json'];

  const dir = await mkdtemp(join(tmpdir(), 'meshbench-k6-ingest-bench-'));
  const cleanup = (): void => {
    void rm(dir, { recursive: true, force: true }).finally(() => process.exit(130));
  };
  process.once('SIGINT', cleanup);
  const rows: (ChildReport & { format: K6OutputFormat; sizeMB: number })[] = [];
  try {
    for (const format of formats) {
      for (const sizeMB of sizes) {
        const path = join(dir, `out.${format}`);
        process.stderr.write(`generating ${sizeMB} MB of k6 ${format} output... `);
        await generate(path, format, sizeMB * MB);
        process.stderr.write('ingesting...\n');
        rows.push({ format, sizeMB, ...(await measure(path, format)) });
        await rm(path, { force: true });
      }
    }
  } finally {
    process.removeListener('SIGINT', cleanup);
    await rm(dir, { recursive: true, force: true });
  }

  console.log(`k6 output ingest (node ${process.version}, synthetic from shared/fixtures/k6/ok-200rps)`);
  console.log(
    'format  size MB  seconds  MB/s wall  MB/s CPU  Mreq/s CPU  requests(measure)  RSS before MiB  peak RSS MiB  retained heap MiB',
  );
  for (const r of rows) {
    console.log(
      [
        r.format.padEnd(6),
        (r.bytes / MB).toFixed(0).padStart(7),
        r.seconds.toFixed(2).padStart(8),
        (r.bytes / MB / r.seconds).toFixed(1).padStart(9),
        (r.bytes / MB / r.cpuSeconds).toFixed(1).padStart(8),
        ((r.requests + r.warmupRequests) / 1e6 / r.cpuSeconds).toFixed(2).padStart(10),
        String(r.requests).padStart(18),
        r.rssBeforeMiB.toFixed(0).padStart(15),
        r.peakRssMiB.toFixed(0).padStart(13),
        r.retainedHeapMiB.toFixed(1).padStart(18),
      ].join('  '),
    );
  }
  for (const format of formats) {
    const mine = rows.filter((r) => r.format === format);
    const slowest = Math.min(...mine.map((r) => r.bytes / MB / r.seconds));
    const range = (xs: number[]): string => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} MiB`;
    const spread = (xs: number[]): number => Math.max(...xs) - Math.min(...xs);
    const peaks = mine.map((r) => r.peakRssMiB);
    const kept = mine.map((r) => r.retainedHeapMiB);
    // Flat: what ingest keeps does not grow with the file (retained heap within 2 MiB), and the peak, which also
    // holds garbage V8 has not collected yet, stays within 64 MiB while the file grows tenfold. (JSON.parse makes
    // more garbage than the CSV path; run with --max-old-space-size=40, JSON ingest of 500 MB still completes.)
    const flat = spread(kept) < 2 && spread(peaks) < 64;
    console.log(
      `${format}: slowest ${slowest.toFixed(1)} MB/s wall-clock (target >= ${TARGET_MB_PER_S}: ${slowest >= TARGET_MB_PER_S ? 'met' : 'MISSED'}); ` +
        `peak RSS ${range(peaks)}, retained heap ${range(kept)} over ${mine.map((r) => r.sizeMB).join(' and ')} MB` +
        (mine.length > 1 ? ` (${flat ? 'flat' : 'NOT flat'})` : ''),
    );
  }
}

await main();
