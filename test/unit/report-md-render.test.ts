import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { renderMarkdown } from '../../src/report/run/markdown.js';
import { mulberry32 } from '../../src/stats/prng.js';
import {
  SYNTHETIC_EMULATION,
  syntheticResults,
  type SyntheticOptions,
} from '../helpers/synthetic-results.js';

function render(opts: SyntheticOptions, chartLinks?: Record<string, string>): string {
  const results = syntheticResults(opts);
  return renderMarkdown(analyze(results), results, chartLinks ? { chartLinks } : {});
}

/** The lines of the section that starts with `heading`, up to the next heading of the same or higher level. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`${heading}\n`);
  if (start === -1) throw new Error(`no section ${heading}`);
  const level = heading.split(' ')[0]!;
  const rest = md.slice(start + heading.length + 1);
  const next = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  return next === -1 ? rest : rest.slice(0, next);
}

function tableRow(md: string, firstCell: string, secondCell?: string): string {
  const line = md
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`| ${firstCell} |`) && (!secondCell || l.startsWith(`| ${firstCell} | ${secondCell} |`)),
    );
  if (!line) throw new Error(`no row ${firstCell} ${secondCell ?? ''}`);
  return line;
}

// Sidecar adds exactly 5 ms (constant values: no noise), ambient adds nothing (same values as baseline in
// each repetition), so the headline figures are known exactly.
const shift: SyntheticOptions = {
  modes: ['baseline', 'istio-sidecar', 'istio-ambient'],
  tiers: [{ name: 'low' }, { name: 'high' }],
  latency: (c) => ({
    kind: 'constant',
    valueUs: (c.mode === 'istio-sidecar' ? 6000 : 1000) + 10 * c.repetition,
    count: 300,
  }),
  proxyLoad: { cpuMillicores: 100, memMiB: 64 },
};

describe('Markdown report', () => {
  it('puts P50 and P99 latency added first, with known figures and intervals', () => {
    const md = render(shift);
    expect(md.indexOf('## P50 latency added')).toBeLessThan(md.indexOf('## P99 latency added'));
    expect(md.indexOf('## P99 latency added')).toBeLessThan(md.indexOf('## Proxy CPU and memory'));
    const p50 = section(md, '## P50 latency added');
    expect(p50).toContain('| mode | low (50 RPS) | high (2000 RPS) |');
    // Repetitions at 6010/6020/6030 us (HDR buckets 6011, 6023, 6031: 4 us wide there) vs 1010/1020/1030
    // (exact). Merged p50: 6023 - 1020 = 5.003 ms. Each side is resampled on its own, so every bootstrap
    // difference lies in [6011 - 1030, 6031 - 1010] = [4.981, 5.021] ms, which prints as 4.98..5.02.
    expect(tableRow(p50, 'istio-sidecar')).toMatch(
      /^\| istio-sidecar \| \+5\.00 ms \(95% CI 4\.98–5\.02\) \| \+5\.00 ms \(95% CI 4\.98–5\.02\) \|$/,
    );
    expect(tableRow(p50, 'istio-ambient')).toContain(
      'not distinguishable from noise (95% CI \u22120.020–0.020 ms)',
    );
    expect(p50).not.toContain('| baseline |');
  });

  it('prints proxy usage and cost per pod and for 100 pods', () => {
    const md = render(shift);
    // Sidecars at 100 m / 64 MiB each: per pod 100 m, 64 MiB; per 1000 RPS at 50 RPS: 3 x 100 x 20 = 6000 m.
    expect(tableRow(section(md, '## Proxy CPU and memory'), 'istio-sidecar', 'low')).toMatch(
      /^\| istio-sidecar \| low \| 3 \| 100 \| 64\.0 \| 6000 \| 3840 \| 300 \| 192 \|/,
    );
    const cost = tableRow(section(md, '## Cost per pod per month'), 'istio-sidecar', 'low');
    expect(cost).toContain('| $2.50 | $250.09 | $2.31 / $0.19 |');
    // Ambient: 2 node proxies at 100 m / 64 MiB over 3 pods.
    const perPod = ((2 * 2.500916125) / 3).toFixed(2);
    expect(tableRow(section(md, '## Cost per pod per month'), 'istio-ambient', 'low')).toContain(
      `| $${perPod} |`,
    );
  });

  it('shows the emulation note near the top, and none when there is none', () => {
    const md = render(shift);
    const note = md.indexOf(`> **Emulated environment.** ${SYNTHETIC_EMULATION}`);
    expect(note).toBeGreaterThan(0);
    expect(note).toBeLessThan(md.indexOf('## P50 latency added'));
    expect(render({ ...shift, emulation: null })).not.toContain('Emulated environment');
  });

  it('puts flags next to the affected numbers and in the summary at the top', () => {
    const md = render({
      ...shift,
      cell: (c) =>
        c.mode === 'istio-sidecar' && c.tier === 'high' && c.repetition === 1
          ? { achievedRps: 1500, dropped: 7, errors: 3 }
          : c.mode === 'istio-ambient' && c.tier === 'low' && c.repetition === 3
            ? { status: 'failed', error: 'ztunnel exited' }
            : {},
    });
    expect(md.indexOf('> - istio-sidecar / high: rate-missed, dropped, errors')).toBeLessThan(
      md.indexOf('## P50 latency added'),
    );
    expect(md).toContain('> - istio-ambient / low: failed-cells');
    expect(tableRow(section(md, '## P50 latency added'), 'istio-sidecar')).toMatch(
      /\| \+5\.00 ms \(95% CI [^)]*\) ⚠ rate-missed, dropped, errors \|$/,
    );
    expect(tableRow(section(md, '## P99 latency added'), 'istio-ambient')).toMatch(
      /^\| istio-ambient \| [^|]* ⚠ failed-cells \|/,
    );
    const load = tableRow(section(md, '## Load: achieved vs target RPS'), 'istio-sidecar', 'high');
    expect(load).toContain('| 2000 | 1833.3 (1500.0–2000.0) | 91.7% |');
    expect(load).toContain('| 3 (0.33%) | 7 | 3/3 | ⚠ rate-missed, dropped, errors |');
    expect(tableRow(section(md, '## Latency percentiles (ms)'), 'istio-ambient', 'low')).toMatch(
      /\| 2\/3 \|.*⚠ failed-cells \|$/,
    );
    expect(md).toContain('- istio-ambient / low / repetition 3: failed (ztunnel exited)');
    expect(md).toContain('more than 5% below target');
  });

  it('absolute percentiles and noise floor', () => {
    const md = render(shift);
    // Baseline: 1010, 1020, 1030 us (300 each): merged p50 = 1020 us; p99 over reps 1.01–1.03.
    expect(tableRow(section(md, '## Latency percentiles (ms)'), 'baseline', 'low')).toBe(
      '| baseline | low | 3/3 | 1.02 | 1.03 | 1.03 | 1.03 | 1.03 | 1.03 | 1.01–1.03 |  |',
    );
    // Noise floor: range 0.020 ms; bootstrap interval of merged p50 is [1.010, 1.030] -> half-width 0.010.
    expect(tableRow(section(md, '## Noise floor'), 'low')).toBe(
      '| low | 3 | 0.020 | 0.010 | 0.020 | 0.010 |',
    );
  });

  it('single repetition: no CI, said so', () => {
    const md = render({ ...shift, repetitions: 1 });
    expect(tableRow(section(md, '## P50 latency added'), 'istio-sidecar')).toContain(
      '+5.00 ms (no CI: single repetition)',
    );
  });

  it('methodology and environment section names what was measured and how', () => {
    const md = render(shift);
    const m = section(md, '## Methodology and environment');
    for (const s of [
      '- Platform: local',
      '- Proxy: haproxy 2.6.12',
      '- Engine: builtin 0.1.0; coordinated-omission corrected: yes',
      '- Repetitions: 3; order: interleaved',
      'Synthetic CPU @ 2.00GHz, 2 CPUs',
      'Node.js v20.18.0',
      'results schema meshbench/results v1',
      '$0.031611 per vCPU-hour, $0.004237 per GiB-hour, 730 hours per month (OpenCost\u2019s default prices)',
      '2,000 resamples, seed 1',
      '| low | 50 |',
      'istio-ambient: client \u2192 ztunnel \u2192 ztunnel \u2192 app; 3 pods on 2 nodes; 2 proxies (haproxy 2.6.12)',
    ]) {
      expect(m).toContain(s);
    }
  });

  it('is deterministic and has no time but the run\u2019s', () => {
    const results = syntheticResults(shift);
    const a = renderMarkdown(analyze(results), results);
    const b = renderMarkdown(analyze(results), results);
    expect(a).toBe(b);
    const stamps = a.match(/\d{4}-\d\d-\d\dT[\d:.]+Z/g) ?? [];
    expect(new Set(stamps)).toEqual(new Set([results.startedAt, results.finishedAt]));
  });

  it('chart links and a run without baseline', () => {
    const md = render(
      { ...shift, modes: ['istio-sidecar', 'istio-ambient'] },
      { 'P99 latency': 'charts/p99.svg' },
    );
    expect(md).toContain('- [P99 latency](charts/p99.svg)');
    expect(md).toContain('The run has no baseline, so no overhead can be computed');
    expect(md).not.toContain('## Noise floor');
  });

  it('noisy data renders without NaN or undefined', () => {
    const rng = mulberry32(4);
    const md = render({
      modes: ['baseline', 'istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh'],
      latency: () => ({ kind: 'lognormal', medianUs: 800 + 100 * rng(), sigma: 0.4, count: 400 }),
      proxyLoad: { cpuMillicores: 40, memMiB: 30, jitter: 0.2 },
    });
    expect(md).not.toMatch(/NaN|undefined|Infinity|null/);
  });
});
