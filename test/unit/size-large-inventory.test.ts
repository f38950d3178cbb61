import { describe, expect, it } from 'vitest';
import { generateInventory } from '../../bench/size.bench.js';
import { renderSizingCsv } from '../../src/report/size/csv.js';
import { renderSizingHtml } from '../../src/report/size/html.js';
import { renderSizingMarkdown } from '../../src/report/size/markdown.js';
import type { ShownSizing } from '../../src/report/size/shown.js';
import { loadBrowserBundles } from '../../src/report/shared/vega-assets.js';
import { renderSizingFiles } from '../../src/report/size/write.js';
import { sizingInputs } from '../../src/size/inputs.js';
import { parseInventory } from '../../src/size/inventory-parse.js';
import { sizeInventory } from '../../src/size/size-inventory.js';
import { linearLoadResults } from '../helpers/size-fixtures.js';

/**
 * Issue 14: `size` of a 100,000-row inventory wrote 370 MB (sizing.json 181 MB, sizing.html 155 MB). The
 * outputs now stay proportionate: sizing.md, .html and .json show every total and each mode's 200 largest
 * rows, sizing.csv every row (docs/SIZING.md). Time and memory on 100,000 rows: bench/size.bench.ts.
 */
const SERVICES = 1000;
/** Rows per mode the proportionate outputs show (src/report/size/shown.ts). */
const SHOWN_ROWS = 200;
const renderSizingJson = (r: ReturnType<typeof sized>) =>
  renderSizingFiles(r, null).find((f) => f.path === 'sizing.json')?.content ?? '';

function sized() {
  const inputs = sizingInputs([{ path: 'runs/a/results.json', results: linearLoadResults() }], {});
  return sizeInventory({
    inventory: parseInventory(generateInventory(SERVICES), 'csv', 'big.csv'),
    models: inputs.models,
    points: inputs.points,
    modes: ['istio-sidecar', 'istio-waypoint'],
    settings: inputs.settings,
    prices: inputs.prices,
    results: inputs.sources,
    warnings: inputs.warnings,
  });
}

describe('size: a large inventory gives proportionate outputs', () => {
  const report = sized();
  const sidecar = report.modes.find((m) => m.mode === 'istio-sidecar');

  it('sizing.csv has every row', () => {
    const rows = renderSizingCsv(report)
      .split('\n')
      .filter((l) => l.startsWith('istio-sidecar,sidecar,'));
    expect(rows).toHaveLength(SERVICES);
  });

  it('sizing.json keeps every total but only the largest rows, and says how many it left out', () => {
    const json = JSON.parse(renderSizingJson(report)) as ShownSizing;
    const shown = json.modes.find((m) => m.mode === 'istio-sidecar');
    expect(shown?.rows).toHaveLength(SHOWN_ROWS);
    expect(json.rowsOmitted?.['istio-sidecar']).toBe(SERVICES - SHOWN_ROWS);
    // istio-waypoint: a waypoint per namespace (500) and the node proxy's row.
    expect(json.rowsOmitted?.['istio-waypoint']).toBe(501 - SHOWN_ROWS);
    expect(shown?.totals).toEqual(sidecar?.totals);
    // The largest, largest first: nothing left out reserves more CPU than the last row shown.
    const cpu = (shown?.rows ?? []).map((r) => r.reserved.cpuMillicores);
    expect(cpu).toEqual([...cpu].sort((a, b) => b - a));
    const cutoff = cpu.at(-1) ?? 0;
    const larger = (sidecar?.rows ?? []).filter((r) => r.reserved.cpuMillicores > cutoff).length;
    expect(larger).toBeLessThanOrEqual(SHOWN_ROWS);
    expect(json.today.services.length).toBeLessThanOrEqual(50);
  });

  it('sizing.md and sizing.html show the largest rows with a note pointing at sizing.csv', async () => {
    const md = renderSizingMarkdown(report);
    const note = `Showing the 200 of 1,000 rows with the largest CPU requests in total, largest first; every row is in sizing.csv.`;
    expect(md).toContain(note);
    expect(md.split('\n').filter((l) => /^\| ns-\d+\/svc-\d+ \|/.test(l))).toHaveLength(SHOWN_ROWS);
    const html = renderSizingHtml(report, await loadBrowserBundles());
    expect(html).toContain(note);
    expect(html.match(/<td>ns-\d+\/svc-\d+<\/td>/g)).toHaveLength(SHOWN_ROWS);
  });

  it('an inventory within the limit is shown whole, in its own order', () => {
    const inputs = sizingInputs([{ path: 'r.json', results: linearLoadResults() }], {});
    const small = sizeInventory({
      inventory: parseInventory(generateInventory(20), 'csv', 'small.csv'),
      models: inputs.models,
      points: inputs.points,
      modes: ['istio-sidecar'],
      settings: inputs.settings,
      prices: inputs.prices,
      results: inputs.sources,
      warnings: inputs.warnings,
    });
    const json = JSON.parse(renderSizingJson(small)) as ShownSizing;
    expect(json.rowsOmitted).toBeUndefined();
    expect(json.modes[0]?.rows.map((r) => r.name)).toEqual(small.modes[0]?.rows.map((r) => r.name));
    expect(renderSizingMarkdown(small)).not.toContain('Showing the');
  });
});
