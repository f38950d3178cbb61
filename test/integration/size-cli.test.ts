import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../../src/files/write-json.js';
import type { SizingReport } from '../../src/size/types.js';
import { REPO, runCli } from '../helpers/cli.js';
import { HAND_INVENTORY_CSV, HAND_INVENTORY_YAML, linearLoadResults } from '../helpers/size-fixtures.js';

/** `meshbench size` end to end in this process: files in, files out. */
describe('meshbench size (CLI)', () => {
  let dir: string;
  let results: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshbench-size-'));
    results = join(dir, 'results.json');
    await writeJsonAtomic(
      results,
      linearLoadResults({ modes: ['baseline', 'istio-sidecar', 'istio-ambient'] }),
    );
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sizes an inventory: prints the summary and the paths, writes md, csv, html and json', async () => {
    const inv = join(dir, 'inventory.yaml');
    await writeFile(inv, HAND_INVENTORY_YAML);
    const out = join(dir, 'out');
    const r = await runCli(['size', inv, '--results', results, '--out', out, '--headroom', '0.5']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toContain('## Totals per mode');
    expect(text).toMatch(/\| istio-sidecar \| 9 \| 0\.594 \| 0\.64 \|/);
    expect(text).toContain('⚠ Extrapolated');
    expect(text).toContain('plus 50% headroom');
    expect((await readdir(out)).sort()).toEqual([
      'sizing-totals.csv',
      'sizing.csv',
      'sizing.html',
      'sizing.json',
      'sizing.md',
    ]);
    for (const f of ['sizing.md', 'sizing.csv', 'sizing-totals.csv', 'sizing.json', 'sizing.html'])
      expect(text).toContain(`wrote ${join(out, f)}`);
    const json = JSON.parse(await readFile(join(out, 'sizing.json'), 'utf8')) as SizingReport;
    expect(json.schema).toBe('meshbench/sizing');
    expect(json.settings.headroom).toBe(0.5);
    expect(json.modes.map((m) => m.mode)).toEqual(['istio-sidecar', 'istio-ambient']);
  });

  it('reads the examples shipped in the repo (YAML and CSV) to the same totals', async () => {
    const a = await runCli([
      'size',
      join(REPO, 'examples/inventory.yaml'),
      '--results',
      results,
      '--out',
      join(dir, 'a'),
      '--format',
      'json',
      '--no-html',
    ]);
    const b = await runCli([
      'size',
      join(REPO, 'examples/inventory.csv'),
      '--results',
      results,
      '--out',
      join(dir, 'b'),
      '--format',
      'json',
      '--no-html',
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const totals = (o: string[]) => (JSON.parse(o.join('\n')) as SizingReport).modes.map((m) => m.totals);
    expect(totals(b.out)).toEqual(totals(a.out));
    expect(existsSync(join(dir, 'a', 'sizing.html'))).toBe(false);
    expect(a.err.some((l) => l.startsWith('wrote '))).toBe(true);
  });

  it('fits over several results files', async () => {
    const more = join(dir, 'more.json');
    await writeJsonAtomic(
      more,
      linearLoadResults({
        modes: ['baseline', 'istio-sidecar'],
        tiers: [{ name: 'high', rps: 2000 }],
        seed: 2,
      }),
    );
    const inv = join(dir, 'inventory.csv');
    await writeFile(inv, HAND_INVENTORY_CSV);
    const r = await runCli([
      'size',
      inv,
      '--results',
      results,
      '--results',
      more,
      '--out',
      join(dir, 'o'),
      '--format',
      'json',
      '--no-html',
    ]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out.join('\n')) as SizingReport;
    const sidecar = rep.models.find((m) => m.mode === 'istio-sidecar');
    // 9 points from the first file, 3 from the second (client at 2000 RPS, servers at 1000).
    expect(sidecar?.points).toBe(12);
    expect(sidecar?.rpsMax).toBe(2000);
    expect(sidecar?.sources).toEqual([results, more]);
    // cart's 1400 RPS per pod is now within the measured range.
    expect(rep.extrapolated.some((e) => e.mode === 'istio-sidecar' && e.name === 'cart')).toBe(false);
  });

  it('bad inventory rows: exit 2 naming the row and field, nothing written', async () => {
    const inv = join(dir, 'bad.csv');
    const lines = HAND_INVENTORY_CSV.trimEnd().split('\n');
    lines[2] = 'cart,shop,2,fast,600,,2,m5.large,,,,';
    lines.push('extra,shop,2,100,50,1,,m5.large,100x,,,');
    await writeFile(inv, lines.join('\n') + '\n');
    const out = join(dir, 'never');
    const r = await runCli(['size', inv, '--results', results, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toContain(`error: inventory ${inv} is not valid (2 problems)`);
    expect(r.err).toContain("  - line 3 (shop/cart): peakRpsPerPod: expected a number, got 'fast'");
    expect(r.err).toContain(
      "  - line 5 (shop/extra): envoyCpuRequest: '100x' is not a Kubernetes quantity (e.g. '100m' or '0.5')",
    );
    expect(existsSync(out)).toBe(false);
  });

  it('rejects bad flags and unmeasured modes with exit 2 before writing anything', async () => {
    const inv = join(dir, 'inventory.yaml');
    await writeFile(inv, HAND_INVENTORY_YAML);
    const out = join(dir, 'never');
    const cases: [string[], string][] = [
      [['--headroom', '-1'], '  - --headroom: Number must be greater than or equal to 0'],
      [['--headroom', 'lots'], "error: --headroom expects a number, got 'lots'"],
      [['--modes', 'istio-waypoint'], 'error: --modes: istio-waypoint was not measured in'],
      [['--modes', 'baseline'], 'error: --modes: unknown or unsizable mode baseline'],
      [['--rps', 'x.yaml'], 'error: --rps and --context only apply with --from-cluster'],
    ];
    for (const [extra, message] of cases) {
      const r = await runCli(['size', inv, '--results', results, '--out', out, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(
        r.err.some((l) => l.startsWith(message)),
        `${extra.join(' ')}: ${r.err.join(' | ')}`,
      ).toBe(true);
    }
    const noResults = await runCli(['size', inv, '--out', out]);
    expect(noResults.code).toBe(2);
    expect(noResults.err[0]).toBe('error: no results: pass --results <results.json>');
    expect(existsSync(out)).toBe(false);
  });
});
