import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { renderSvg } from '../../src/report/run/svg.js';
import { renderSizingCsv, renderSizingTotalsCsv, PROXY_COLUMNS } from '../../src/report/size/csv.js';
import { sizingCharts } from '../../src/report/size/charts.js';
import { renderSizingHtml } from '../../src/report/size/html.js';
import { renderSizingMarkdown, renderSizingSummary } from '../../src/report/size/markdown.js';
import { loadBrowserBundles } from '../../src/report/shared/vega-assets.js';
import { renderSizingFiles } from '../../src/report/size/write.js';
import { sizingInputs } from '../../src/size/inputs.js';
import { parseInventory } from '../../src/size/inventory-parse.js';
import { sizeInventory } from '../../src/size/size-inventory.js';
import type { SizingReport } from '../../src/size/types.js';
import { HAND_INVENTORY_YAML, linearLoadResults } from '../helpers/size-fixtures.js';

function reportOf(inventoryYaml: string): SizingReport {
  const inputs = sizingInputs([{ path: 'runs/a/results.json', results: linearLoadResults() }], {
    headroom: 0.5,
  });
  return sizeInventory({
    inventory: parseInventory(inventoryYaml, 'yaml', 'inventory.yaml'),
    models: inputs.models,
    points: inputs.points,
    modes: ['istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh'],
    settings: inputs.settings,
    prices: inputs.prices,
    results: inputs.sources,
    warnings: inputs.warnings,
  });
}

// Every sidecar RPS within 50..1000, node RPS within 50..1500, namespace RPS within 100..1000: nothing extrapolated.
const WITHIN = `services:
  - { name: a, namespace: x, replicas: 2, peakRpsPerPod: 400, avgRpsPerPod: 200, nodes: 2 }
`;

describe('size: outputs', () => {
  const flagged = reportOf(HAND_INVENTORY_YAML);
  const clean = reportOf(WITHIN);

  it('flags extrapolation in every output', async () => {
    const assets = await loadBrowserBundles();
    const outputs: Record<string, string> = {
      summary: renderSizingSummary(flagged),
      markdown: renderSizingMarkdown(flagged),
      csv: renderSizingCsv(flagged),
      totalsCsv: renderSizingTotalsCsv(flagged),
      html: renderSizingHtml(flagged, assets),
    };
    for (const [name, text] of Object.entries(outputs)) {
      expect(text, name).toContain('Extrapolated: 5 rows sized for RPS above the measured range, 3 below it');
    }
    // Row by row, where the rows are shown.
    expect(outputs.markdown).toMatch(
      /\| shop\/cart \|.*⚠ extrapolated: above measured range \(max 1,000 RPS\) \|/,
    );
    expect(outputs.html).toContain('⚠ extrapolated: above measured range (max 1,000 RPS)');
    const cart = outputs.csv?.split('\n').find((l) => l.startsWith('istio-sidecar,sidecar,pod,shop,cart,'));
    expect(cart?.split(',')[PROXY_COLUMNS.indexOf('extrapolated')]).toBe('above');
    expect(flagged.extrapolated).toHaveLength(8);
    expect(JSON.parse(JSON.stringify(flagged)).extrapolated[0]).toMatchObject({
      mode: 'istio-sidecar',
      name: 'cart',
      above: true,
    });
  });

  it('prints no extrapolation warning when every RPS was measured', () => {
    expect(clean.extrapolated).toEqual([]);
    for (const text of [renderSizingSummary(clean), renderSizingMarkdown(clean), renderSizingCsv(clean)]) {
      expect(text).not.toContain('⚠ Extrapolated');
      expect(text).not.toContain('⚠ extrapolated');
    }
  });

  it('prints the assumptions (prices, headroom, results file) with every output', async () => {
    const assets = await loadBrowserBundles();
    const files = renderSizingFiles(flagged, assets);
    expect(files.map((f) => f.path)).toEqual([
      'sizing.md',
      'sizing.csv',
      'sizing-totals.csv',
      'sizing.json',
      'sizing.html',
    ]);
    for (const f of files) {
      expect(f.content, f.path).toContain('$0.031611 per vCPU-hour');
      expect(f.content, f.path).toContain('plus 50% headroom');
      expect(f.content, f.path).toContain('runs/a/results.json');
    }
    expect(renderSizingSummary(flagged)).toContain('plus 50% headroom');
  });

  it('keeps CSV data lines machine-readable after the # preamble', () => {
    const lines = renderSizingTotalsCsv(flagged)
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('#'));
    expect(lines[0]).toMatch(/^mode,proxies,reserved_vcpu/);
    // appmesh-today: 450m and 672Mi = 0.45 vCPU, 0.65625 GiB.
    expect(lines[1]).toMatch(/^appmesh-today,9,0\.45,0\.6563,/);
    // istio-sidecar: reserved 594m, 654Mi, change 144m.
    expect(lines[2]).toMatch(/^istio-sidecar,9,0\.594,0\.6387,1\.188,/);
  });

  it('builds a self-contained HTML page: libraries inline, nothing fetched', async () => {
    const html = renderSizingHtml(flagged, await loadBrowserBundles());
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).toContain('vegaEmbed(');
    // The data JSON cannot end its <script> element early.
    const evil = reportOf(HAND_INVENTORY_YAML);
    evil.inventory.source = '</script><script>alert(1)</script>';
    const none = (name: string) => ({ name, version: '0', source: '' });
    const page = renderSizingHtml(evil, { vega: none('vega'), vegaLite: none('vega-lite'), vegaEmbed: null });
    expect(page).not.toContain('</script><script>alert(1)');
    expect(page).toContain('&lt;/script&gt;');
  });

  it('has charts that Vega-Lite compiles without warnings and Vega draws', async () => {
    const charts = sizingCharts(flagged);
    expect(charts.map((c) => c.id)).toEqual(['size-cost', 'size-models']);
    for (const c of charts) {
      const warnings: string[] = [];
      const logger = {
        level: () => 0,
        warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
        info: () => logger,
        debug: () => logger,
        error: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
      };
      const vega = compile(c.spec, { logger: logger as never }).spec;
      expect(warnings, c.id).toEqual([]);
      const svg = await renderSvg(vega);
      expect(svg, c.id).toContain('<svg');
    }
  });
});
