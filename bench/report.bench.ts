/**
 * Time and peak memory of building a full report (analysis, Markdown, HTML, static SVGs) from results.json,
 * which is what `meshbench report` does and `meshbench run` does at its end.
 *
 *   npx tsx bench/report.bench.ts                       # 5 modes x 3 tiers x 5 repetitions, 30,000 values a cell
 *   npx tsx bench/report.bench.ts --values 100000       # bigger histograms
 *   npx tsx bench/report.bench.ts --runs 1              # one measured build instead of three
 *
 * Target (issue): under 5 s on a 2-core machine. The results are synthetic (test/helpers/synthetic-results.ts)
 * with lognormal latencies, so histograms span as many buckets as real ones do. They are written to a temp
 * results.json; each build then runs in a fresh child process (`node --import tsx`), so its time includes
 * reading results.json and loading the report modules as the CLI does, and its peak RSS (getrusage maxrss) is
 * that of one build alone, not of the generator. The temp dir is removed afterwards, also on error and Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModeName } from '../src/modes/mode.js';
import { syntheticResults } from '../test/helpers/synthetic-results.js';

const TARGET_SECONDS = 5;
const MODES: ModeName[] = ['baseline', 'istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh'];

interface ChildReport {
  /** Reading and validating results.json. */
  readSeconds: number;
  /** writeReports(): analysis, charts, SVGs, Markdown, HTML, analysis.json, written to disk. */
  reportSeconds: number;
  /** The same build again, stage by stage, in the warmed-up process: where the time goes. */
  stages: Record<string, number>;
  files: number;
  htmlBytes: number;
  peakRssMiB: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function timed<T>(stages: Record<string, number>, name: string, f: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  stages[name] = (performance.now() - t0) / 1000;
  return out;
}

/** In the child: one build, timed end to end as the CLI runs it, then once more by stage. */
async function child(dir: string): Promise<void> {
  const t0 = performance.now();
  // Imported here, not at the top, so that loading the report modules (Vega, Vega-Lite) counts in the child.
  const { readResults } = await import('../src/results/read.js');
  const { writeReports } = await import('../src/report/run/write-report.js');
  const results = await readResults(join(dir, 'results.json'));
  const t1 = performance.now();
  const written = await writeReports(results, join(dir, 'report'));
  const t2 = performance.now();
  const peakRssMiB = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB

  const { analyze } = await import('../src/analysis/analyze.js');
  const { buildCharts } = await import('../src/report/run/charts/index.js');
  const { compileChart } = await import('../src/report/shared/compile-chart.js');
  const { renderSvg } = await import('../src/report/run/svg.js');
  const { renderMarkdown } = await import('../src/report/run/markdown.js');
  const { renderHtml } = await import('../src/report/run/html.js');
  const { loadBrowserBundles } = await import('../src/report/shared/vega-assets.js');
  const stages: Record<string, number> = {};
  const analysis = await timed(stages, 'analyze', () => analyze(results));
  const charts = await timed(stages, 'chart specs + compile', () =>
    buildCharts(analysis).map((definition) => ({ definition, vega: compileChart(definition.spec).vega })),
  );
  await timed(stages, 'static SVGs', async () => {
    for (const c of charts) await renderSvg(c.vega);
  });
  await timed(stages, 'markdown', () => renderMarkdown(analysis, results));
  const bundles = await loadBrowserBundles();
  const html = await timed(stages, 'html', () => renderHtml({ analysis, results, charts, bundles }));

  const report: ChildReport = {
    readSeconds: (t1 - t0) / 1000,
    reportSeconds: (t2 - t1) / 1000,
    stages,
    files: written.files.length,
    htmlBytes: Buffer.byteLength(html),
    peakRssMiB,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

async function measure(dir: string): Promise<ChildReport> {
  const self = fileURLToPath(import.meta.url);
  const proc = spawn(process.execPath, ['--import', 'tsx', self, '--child', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const [code] = (await once(proc, 'close')) as [number | null];
  if (code !== 0) throw new Error(`report child exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildReport;
}

const fmt = (s: number) => `${s.toFixed(2)} s`;

async function main(): Promise<void> {
  const childDir = arg('--child');
  if (childDir !== undefined) return child(childDir);
  const values = Number(arg('--values') ?? 30_000);
  const runs = Number(arg('--runs') ?? 3);
  const repetitions = Number(arg('--repetitions') ?? 5);
  if (!(values > 0 && runs > 0 && repetitions > 0))
    throw new Error('--values, --runs, --repetitions take positive numbers');

  const dir = await mkdtemp(join(tmpdir(), 'meshbench-report-bench-'));
  const cleanup = (): void => {
    void rm(dir, { recursive: true, force: true }).finally(() => process.exit(130));
  };
  process.once('SIGINT', cleanup);
  try {
    process.stderr.write(
      `generating 5 modes x 3 tiers x ${repetitions} repetitions, ${values} values a cell... `,
    );
    const g0 = performance.now();
    const results = syntheticResults({
      modes: MODES,
      repetitions,
      // Lognormal with sigma 0.35: p99.99 about 4x the median, like a loaded proxy's tail.
      latency: (c) => ({
        kind: 'lognormal',
        medianUs: 900 + 250 * MODES.indexOf(c.mode),
        sigma: 0.35,
        count: values,
      }),
      proxyLoad: { cpuMillicores: 60, memMiB: 48, jitter: 0.1 },
      samplePoints: 30,
    });
    const json = JSON.stringify(results);
    await writeFile(join(dir, 'results.json'), json);
    process.stderr.write(
      `${fmt((performance.now() - g0) / 1000)}, results.json ${(json.length / 1e6).toFixed(1)} MB\n`,
    );

    const reports: ChildReport[] = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`build ${i + 1}/${runs}... `);
      const r = await measure(dir);
      reports.push(r);
      process.stderr.write(`${fmt(r.readSeconds + r.reportSeconds)}\n`);
    }
    const totals = reports.map((r) => r.readSeconds + r.reportSeconds).sort((a, b) => a - b);
    const median = totals[Math.floor(totals.length / 2)] ?? NaN;
    const last = reports[reports.length - 1]!;
    console.log(
      '\nmeshbench report build: 5 modes x 3 tiers x %d repetitions, %d latency values a cell',
      repetitions,
      values,
    );
    console.log('  read results.json + load modules  %s', fmt(last.readSeconds));
    console.log('  writeReports (all files)          %s', fmt(last.reportSeconds));
    console.log('  total, per run                    %s', totals.map(fmt).join(', '));
    console.log(
      '  total, median                     %s  (target < %d s: %s)',
      fmt(median),
      TARGET_SECONDS,
      median < TARGET_SECONDS ? 'met' : 'MISSED',
    );
    console.log(
      '  peak RSS                          %s MiB (max over runs)',
      Math.max(...reports.map((r) => r.peakRssMiB)).toFixed(0),
    );
    console.log(
      '  files written                     %d; index.html %s kB',
      last.files,
      (last.htmlBytes / 1024).toFixed(0),
    );
    console.log('  by stage (second build in the same process, warm):');
    for (const [stage, s] of Object.entries(last.stages)) console.log('    %s %s', stage.padEnd(24), fmt(s));
  } finally {
    process.removeListener('SIGINT', cleanup);
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
