import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import type { Analysis } from '../../src/analysis/types.js';
import { costRows } from '../../src/report/run/charts/cost.js';
import { latencyAddedRows } from '../../src/report/run/charts/latency-added.js';
import { spectrumRows } from '../../src/report/run/charts/latency-spectrum.js';
import { loadRows } from '../../src/report/run/charts/load.js';
import { proxyResourceRows } from '../../src/report/run/charts/proxy-resources.js';
import { loadBrowserBundles } from '../../src/report/shared/vega-assets.js';
import { renderReportFiles, writeReports } from '../../src/report/run/write-report.js';
import type { ModeName } from '../../src/modes/mode.js';
import { syntheticResults, type SyntheticOptions } from '../helpers/synthetic-results.js';

/**
 * Opens the HTML report in headless Chromium from a file:// URL and checks that every chart draws its marks
 * with nothing but what the page carries: no network request, no console error or warning. Leaves a
 * full-page screenshot next to index.html (report-screenshot.png), in the test's temp dir.
 */
const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`report-browser: ${CHROMIUM} not found, skipping the browser test`);

const MODES: ModeName[] = ['baseline', 'istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh'];
// Every mode and tier, with what a real run shows: tails, a mode within noise (ambient = baseline), a rate miss.
const opts: SyntheticOptions = {
  modes: MODES,
  repetitions: 3,
  latency: (c) => ({
    kind: 'lognormal',
    medianUs: c.mode === 'istio-ambient' ? 1000 : 1000 + 300 * MODES.indexOf(c.mode),
    sigma: 0.35,
    count: 2000,
  }),
  proxyLoad: (_p, c) => ({ cpuMillicores: 30 + 10 * c.repetition, memMiB: 40, jitter: 0.1 }),
  cell: (c) => (c.mode === 'appmesh' && c.tier === 'high' ? { achievedRps: 1800 } : {}),
};

/** How many mark items each chart must draw: one per data row, from the same row builders as the specs. */
function expectedMarks(a: Analysis): Record<string, { selector: string; count: number }[]> {
  const rect = 'g.mark-rect.role-mark > path';
  return {
    'latency-added': [{ selector: rect, count: latencyAddedRows(a).length }],
    'latency-spectrum': [
      { selector: 'g.mark-symbol.role-mark > path', count: spectrumRows(a).length },
      // One line per mode and tier.
      { selector: 'g.mark-line.role-mark > path', count: a.results.filter((r) => r.latency).length },
    ],
    // CPU and memory panels: a bar per row in each.
    'proxy-resources': [{ selector: rect, count: 2 * proxyResourceRows(a).length }],
    cost: [{ selector: rect, count: 2 * costRows(a).length }],
    load: [{ selector: rect, count: loadRows(a).length }],
  };
}

const skipReason = HAS_CHROMIUM ? '' : ` (SKIPPED: needs ${CHROMIUM}, not found: apt-get install chromium)`;
describe.skipIf(!HAS_CHROMIUM)(`HTML report in headless Chromium${skipReason}`, () => {
  let dir = '';
  let browser: Browser | undefined;
  let index = '';
  let fallbackIndex = '';
  let analysis: Analysis;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshbench-report-browser-'));
    const results = syntheticResults(opts);
    analysis = analyze(results);
    const written = await writeReports(results, dir);
    index = written.files.find((f) => f.endsWith('index.html')) ?? '';
    // The same page without vega-embed (a development dependency: a production install may lack it).
    const bundles = await loadBrowserBundles();
    const files = await renderReportFiles(results, { analysis, bundles: { ...bundles, vegaEmbed: null } });
    fallbackIndex = join(dir, 'no-embed', 'index.html');
    await mkdir(join(dir, 'no-embed'));
    await writeFile(fallbackIndex, files.find((f) => f.path === 'index.html')?.content ?? '');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });

  /** Opens a page and checks every chart's marks, the requests and the console; returns the open page. */
  async function checkPage(file: string): Promise<Page> {
    if (!browser) throw new Error('browser did not start');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    try {
      await page.goto(url, { waitUntil: 'load' });
      // The page's script sets this once every chart has drawn (or failed to).
      await page.waitForSelector('html[data-charts-rendered]', { timeout: 30_000 });
      const expected = expectedMarks(analysis);
      expect(Object.keys(expected)).toHaveLength(5);
      for (const [id, marks] of Object.entries(expected)) {
        const figure = page.locator(`#chart-${id}`);
        expect(await figure.getAttribute('data-rendered'), id).toBe('true');
        for (const m of marks) {
          expect(m.count, `${id} ${m.selector}`).toBeGreaterThan(0);
          expect(await figure.locator(`svg ${m.selector}`).count(), `${id} ${m.selector}`).toBe(m.count);
        }
      }
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      return page;
    } catch (e) {
      await page.close();
      throw e;
    }
  }

  it('draws every chart offline, without console errors, and leaves a screenshot', async () => {
    const page = await checkPage(index);
    try {
      const shot = join(dir, 'report-screenshot.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
    } finally {
      await page.close();
    }
  });

  it('draws with Vega alone when vega-embed is not installed', async () => {
    const html = await readFile(fallbackIndex, 'utf8');
    expect(html).not.toContain('data-library="vega-embed');
    await (await checkPage(fallbackIndex)).close();
  });
});
