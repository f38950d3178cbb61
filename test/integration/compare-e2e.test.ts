import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/types.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { runCli } from '../helpers/cli.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-compare-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function save(name: string, r: ResultsFile): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify(r));
  return path;
}

const CHROMIUM = '/usr/bin/chromium';

/**
 * Opens a page in headless Chromium from a file:// URL: every chart must draw (the page's script marks each
 * figure data-rendered="true"), with no request but the page itself and no console error.
 */
async function expectChartsDrawn(file: string, charts: number): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('html[data-charts-rendered]', { timeout: 30_000 });
    expect(await page.locator('html').getAttribute('data-charts-rendered')).toBe(String(charts));
    expect(await page.locator('figure.chart[data-rendered="true"]').count()).toBe(charts);
    // Change points are drawn: the p50 chart holds dashed rules at the step.
    expect(
      await page.locator('#chart-history-latency-p50 svg g.mark-rule.role-mark > line').count(),
    ).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  } finally {
    await browser.close();
  }
}

const MEAN_US = {
  baseline: 1000,
  'istio-sidecar': 1250,
  'istio-ambient': 1500,
  'istio-waypoint': 1750,
  appmesh: 2000,
  kuma: 2250,
  linkerd: 2500,
};

describe('meshbench compare and history on results files (CLI, in process)', () => {
  let baseline: string;
  let regressed: string;
  let same: string;

  beforeAll(async () => {
    const tiers = [{ name: 'low' }, { name: 'medium' }];
    baseline = await save('baseline.json', syntheticResults({ seed: 1, tiers }));
    same = await save('same.json', syntheticResults({ seed: 2, tiers }));
    regressed = await save(
      'regressed.json',
      syntheticResults({
        seed: 3,
        tiers,
        latency: (c) => ({
          kind: 'normal',
          meanUs: MEAN_US[c.mode] + (c.mode === 'istio-sidecar' ? 600 : 0),
          sdUs: 20,
          count: 1000,
        }),
      }),
    );
  });

  it('exits 1 on a regression and writes Markdown, JUnit and JSON', async () => {
    const md = join(dir, 'out', 'comment.md');
    const junit = join(dir, 'out', 'junit.xml');
    const json = join(dir, 'out', 'comparison.json');
    const r = await runCli([
      'compare',
      baseline,
      regressed,
      '--markdown',
      md,
      '--junit',
      junit,
      '--json',
      json,
    ]);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toMatch(/^## meshbench compare: \u274c \d+ regressions/);
    expect(r.err.join('\n')).toMatch(/compare: \d+ regression\(s\)/);
    const comparison = JSON.parse(await readFile(json, 'utf8')) as Comparison;
    expect(comparison.verdict).toBe('regression');
    const regressedRows = comparison.metrics.filter((m) => m.verdict === 'regression');
    expect(new Set(regressedRows.map((m) => m.mode))).toEqual(new Set(['istio-sidecar']));
    expect((await readFile(md, 'utf8')).trimEnd()).toBe(r.out.join('\n'));
    const xml = await readFile(junit, 'utf8');
    expect(xml.match(/<failure /g)).toHaveLength(regressedRows.length);
    // One case per row, plus the gate's own case (it passes: the candidate is complete and judged).
    expect(xml.match(/<testcase /g)).toHaveLength(comparison.metrics.length + 1);
    expect(comparison.gate).toMatchObject({
      passed: false,
      failures: [expect.stringMatching(new RegExp(`^${regressedRows.length} regressions?$`))],
    });
  });

  it('exits 0 for two runs of the same spec, and prints JSON with --format json', async () => {
    const r = await runCli(['compare', baseline, same, '--format', 'json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out.join('\n')) as Comparison;
    expect(c.summary.regressions).toBe(0);
    expect(c.summary.total).toBeGreaterThan(0);
  });

  it('flags override the candidate spec thresholds: a huge threshold silences the regression', async () => {
    const flags = ['added', 'latency'].flatMap((m) =>
      ['P50', 'P99', 'P999'].map((p) => `--threshold=${m}${p}.absolute=5`),
    );
    const r = await runCli(['compare', baseline, regressed, ...flags]);
    expect(r.code).toBe(0);
  });

  it('exits 2 with the differences listed when the specs differ, and compares the shared part with --allow-partial', async () => {
    const other = await save(
      'other.json',
      syntheticResults({ seed: 4, tiers: [{ name: 'low' }, { name: 'high' }] }),
    );
    const refused = await runCli(['compare', baseline, other]);
    expect(refused.code).toBe(2);
    expect(refused.err).toEqual([
      'error: the two runs come from different specs or proxy versions',
      '  - tier medium: baseline measured, candidate absent (not comparable)',
      '  - tier high: baseline absent, candidate measured (not comparable)',
      'fix: compare results of the same spec, or pass --allow-partial to compare only the modes and tiers both runs share',
    ]);
    expect(refused.out).toEqual([]);
    const partial = await runCli(['compare', baseline, other, '--allow-partial', '--format', 'json']);
    expect(partial.code).toBe(0);
    const c = JSON.parse(partial.out.join('\n')) as Comparison;
    expect(c.compatibility.tiers).toEqual(['low']);
  });

  it('exits 2 for another platform even with --allow-partial, for a broken file and for a bad flag', async () => {
    const k8s = await save(
      'k8s.json',
      syntheticResults({ seed: 5, tiers: [{ name: 'low' }, { name: 'medium' }], platform: 'kubernetes' }),
    );
    const platform = await runCli(['compare', baseline, k8s, '--allow-partial']);
    expect(platform.code).toBe(2);
    expect(platform.err).toContain(
      '  - platform: baseline local, candidate kubernetes (nothing can be compared)',
    );

    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"schema": "meshbench/results", "schemaVersion": 1, "runId": ');
    expect((await runCli(['compare', baseline, broken])).code).toBe(2);
    expect((await runCli(['compare', baseline, join(dir, 'missing.json')])).code).toBe(2);

    const bad = await runCli(['compare', baseline, same, '--threshold', 'addedP99.relative=lots']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(/'lots' is not a number/);
  });

  it('history: finds results.json files recursively, orders them by start, writes HTML and Markdown', async () => {
    const nights = join(dir, 'nights');
    for (let i = 0; i < 9; i++) {
      const r = syntheticResults({
        seed: 100 + i,
        modes: ['baseline', 'istio-ambient'],
        tiers: [{ name: 'low' }],
        latency: (c) => ({
          kind: 'normal',
          meanUs: MEAN_US[c.mode] * (c.mode === 'istio-ambient' && i >= 5 ? 1.4 : 1),
          sdUs: 20,
          count: 300,
        }),
      });
      r.runId = `night-${i}`;
      r.startedAt = new Date(Date.UTC(2025, 1, 1 + i, 2)).toISOString();
      // Directory names sort in another order than the nights: the order must come from startedAt.
      await save(join('nights', `${(i * 5) % 9}-${r.runId}`, 'results.json'), r);
    }
    await writeFile(join(nights, 'results.json'), 'not json'); // a broken night is skipped, not fatal
    const out = join(dir, 'history-out');
    const r = await runCli(['history', nights, '--out', out, '--json', join(out, 'history.json')]);
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).toMatch(/skipped results\.json: .* is not valid JSON/);
    // +40% of 1.5 ms = 0.6 ms: over the p50, p99 and p99.9 thresholds, as latency and as latency added.
    expect(r.err.join('\n')).toMatch(/history: 9 run\(s\), 14 series, 6 change point\(s\)/);
    const h = JSON.parse(await readFile(join(out, 'history.json'), 'utf8')) as { runs: { runId: string }[] };
    expect(h.runs.map((x) => x.runId)).toEqual([...Array(9).keys()].map((i) => `night-${i}`));
    const html = await readFile(join(out, 'history.html'), 'utf8');
    expect(html).toMatch(/<script data-library="vega 5\./); // the Vega build is inlined
    expect(html).not.toMatch(/<script[^>]+src=/);
    if (existsSync(CHROMIUM)) await expectChartsDrawn(join(out, 'history.html'), 10);
    expect(await readFile(join(out, 'history.md'), 'utf8')).toMatch(
      /\u25b2 regression \| p50 latency \| istio-ambient \| low \| 2025-02-06 night-5/,
    );

    const none = await runCli(['history', join(dir, 'out')]);
    expect(none.code).toBe(2);
    expect(none.err[0]).toMatch(/no usable results\.json/);
    expect((await runCli(['history', nights, '--metric', 'p99'])).code).toBe(2);
  });
});

/**
 * Two real local runs (platform local, builtin engine, HAProxy proxies on loopback): the candidate's app
 * answers 10 ms later. Latency ADDED does not move (the delay adds to baseline and mesh alike), so this is
 * exactly the case compare's absolute latency metrics exist for: both modes' p50 must be a regression.
 * 10 ms is far above the noise of a loaded 2-core host at 50 RPS (p50 spreads by tenths of a millisecond
 * between repetitions) and above the 0.1 ms / 10% thresholds by two orders of magnitude.
 */
describe('meshbench compare on two real local runs', () => {
  const haveHaproxy = [
    '/usr/sbin/haproxy',
    '/usr/bin/haproxy',
    '/usr/local/sbin/haproxy',
    '/usr/local/bin/haproxy',
  ].some(existsSync);

  // Retried once, as the other timing-sensitive tests are: with 3 repetitions of 2 s, one repetition that the
  // rest of the suite starves of CPU (a p50 of 2.6 ms for an app that answers in 0.3, seen once under the full
  // suite on 2 cores) makes the change not significant, which is the right verdict for such data. Every
  // attempt asserts in full.
  it.skipIf(!haveHaproxy)(
    'a candidate whose app adds 10 ms is called a regression (exit 1)',
    { retry: 1, timeout: 180_000 },
    async () => {
      const out = join(dir, 'real');
      const common = [
        'run',
        '--modes',
        'baseline,istio-ambient',
        '--tiers',
        'low',
        '--repetitions',
        '3',
        '--quick',
        '--out',
        out,
      ];
      const base = await runCli([...common, '--run-id', 'real-baseline']);
      expect(base.code, base.err.join('\n')).toBe(0);
      const cand = await runCli([...common, '--run-id', 'real-candidate', '--delay-ms', '10']);
      expect(cand.code, cand.err.join('\n')).toBe(0);

      const json = join(out, 'comparison.json');
      const r = await runCli([
        'compare',
        join(out, 'real-baseline', 'results.json'),
        join(out, 'real-candidate', 'results.json'),
        '--json',
        json,
      ]);
      expect(r.code, r.out.join('\n')).toBe(1);
      const c = JSON.parse(await readFile(json, 'utf8')) as Comparison;
      for (const mode of ['baseline', 'istio-ambient'] as const) {
        const p50 = c.metrics.find((m) => m.mode === mode && m.metric === 'latency-p50');
        expect(p50?.verdict, JSON.stringify(p50)).toBe('regression');
        expect(p50?.change).toBeGreaterThan(8);
      }
      expect(c.compatibility.differences).toContainEqual({
        subject: 'app.delayMs',
        baseline: '0',
        candidate: '10',
        impact: 'note',
      });
    },
  );
});
