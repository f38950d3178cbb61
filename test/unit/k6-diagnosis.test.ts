import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuBetween, parseHostCpuTicks } from '../../src/engines/k6/cpu-probe.js';
import { diagnoseK6, k6ShortageFlags } from '../../src/engines/k6/diagnosis.js';
import { parseVuCapWarning } from '../../src/engines/k6/process.js';
import { parseK6Summary } from '../../src/engines/k6/summary.js';
import type { K6LoadFigures, LatencyResult } from '../../src/results/schema.js';
import { cellFlags } from '../../src/runner/cell-flags.js';
import { createHistogram, encodeHistogram } from '../../src/stats/histogram.js';
import { k6Fixtures } from '../helpers/shared-data.js';

const TOL = 0.05;

function latency(o: {
  target: number;
  requests: number;
  dropped: number;
  seconds: number;
  k6?: K6LoadFigures;
}): LatencyResult {
  return {
    histogram: encodeHistogram(createHistogram()),
    coordinatedOmissionCorrected: false,
    requests: o.requests,
    ok: o.requests,
    errors: { byStatus: {}, byKind: {} },
    dropped: o.dropped,
    targetRps: o.target,
    achievedRps: o.requests / o.seconds,
    measureSeconds: o.seconds,
    ...(o.k6 ? { k6: o.k6 } : {}),
  };
}

const idleCpu = {
  span: 'measure-window' as const,
  seconds: 6,
  k6CpuSeconds: 1.2,
  hostBusyCpuSeconds: 4.8,
  cores: 2,
};

k6Fixtures.describe('diagnosis of the recorded k6 runs', () => {
  const summary = (dir: string, file: string) =>
    parseK6Summary(readFileSync(k6Fixtures.file(dir, file), 'utf8'));

  it('vu-starved-1000rps (17 VUs): short of VUs, k6 started 4 mid-test; what to change', () => {
    const s = summary('vu-starved-1000rps', 'summary-export.json');
    const l = latency({
      target: 1000,
      requests: s.requests ?? 0,
      dropped: s.droppedIterations,
      seconds: 6,
      k6: { preAllocatedVUs: 17, maxVUs: 1000, ...(s.vusMax ? { vusMax: s.vusMax } : {}), cpu: idleCpu },
    });
    const d = diagnoseK6(l, TOL);
    expect(d?.causes).toEqual(['vus']);
    expect(d?.findings).toEqual([
      'k6 dropped 21 of 6003 arrivals (0.35%)',
      "CPU: k6 used 0.2 of the host's 2 cores over the measure window while the host was 40% busy (proxies and apps included): not the limit",
      'short of VUs: k6 pre-allocated 17 VUs and started 4 more during the test (vus_max 21), one at a time, dropping the arrivals due meanwhile',
    ]);
    expect(d?.fixes).toEqual([
      "pre-allocate more VUs: set the tier's connections to 42 or more (k6 grew to 21; meshbench pre-allocates the larger of connections and rps x latency budget)",
    ]);
    expect(cellFlags(l)).toEqual(['dropped', 'k6-short-of-vus']);
  });

  it('vu-starved-1000rps with 100 VUs: nothing dropped, rate held, nothing to diagnose', () => {
    const s = summary('vu-starved-1000rps', 'summary-export-100-vus.json');
    const l = latency({
      target: 1000,
      requests: s.requests ?? 0,
      dropped: s.droppedIterations,
      seconds: 6,
      k6: { preAllocatedVUs: 100, maxVUs: 1000, vusMax: s.vusMax ?? 0, cpu: idleCpu },
    });
    expect(diagnoseK6(l, TOL)).toBeUndefined();
    expect(cellFlags(l)).toEqual([]);
  });

  it('dropped (2 VUs at 100 RPS on a 50 ms server): every allowed VU busy, k6 said so; raise maxInFlight', () => {
    const s = summary('dropped', 'summary-export.json');
    const stderr = readFileSync(k6Fixtures.file('dropped', 'stderr.txt'), 'utf8');
    const hits = stderr.split('\n').flatMap((line) => parseVuCapWarning(line) ?? []);
    expect(hits).toEqual([{ scenario: 'measure', vus: 2 }]);
    const l = latency({
      target: 100,
      requests: 101,
      dropped: s.droppedIterations,
      seconds: 3,
      k6: { preAllocatedVUs: 2, maxVUs: 2, vusMax: s.vusMax ?? 0, maxVUsReached: true },
    });
    const d = diagnoseK6(l, TOL);
    expect(d?.causes).toEqual(['vus']);
    expect(d?.findings[0]).toBe('k6 dropped 200 of 301 arrivals (66.45%); achieved 33.7 of 100 RPS');
    expect(d?.findings[1]).toMatch(/^CPU: not measured/);
    expect(d?.findings[2]).toMatch(
      /^short of VUs: all 2 VUs allowed \(maxVUs, the tier's maxInFlight\) were busy/,
    );
    expect(d?.fixes).toEqual([
      "raise the tier's maxInFlight above 2; if requests really stay outstanding that long, the target is too slow for this rate (see its latency)",
    ]);
    expect(cellFlags(l)).toEqual(['rate-missed', 'dropped', 'k6-short-of-vus']);
  });
});

describe('diagnoseK6 on CPU figures', () => {
  const base = { target: 2000, requests: 2000 * 10 * 0.6, dropped: 0, seconds: 10 };
  const vusOk = { preAllocatedVUs: 200, maxVUs: 1024, vusMax: 200 };

  it('k6 itself at 80% or more of the cores: short of CPU, k6 is the bottleneck, not the mesh', () => {
    const d = diagnoseK6(
      latency({
        ...base,
        k6: { ...vusOk, cpu: { ...idleCpu, seconds: 10, k6CpuSeconds: 17, hostBusyCpuSeconds: 18 } },
      }),
      TOL,
    );
    expect(d?.causes).toEqual(['cpu']);
    expect(d?.findings).toEqual([
      'achieved 1200 of 2000 RPS',
      "short of CPU: k6 used 1.7 of the host's 2 cores over the measure window while the host was 90% busy (proxies and apps included); k6 needs at least 20% idle to keep its schedule",
      'VUs: vus_max stayed at the 200 pre-allocated (maxVUs 1024): enough',
    ]);
    expect(d?.fixes[0]).toMatch(/^k6, not the mesh, is the bottleneck: give it CPU .* --engine builtin/);
  });

  it('a busy host (proxies and apps) with k6 using little is still a CPU shortage', () => {
    const d = diagnoseK6(
      latency({
        ...base,
        k6: { ...vusOk, cpu: { ...idleCpu, seconds: 10, k6CpuSeconds: 6, hostBusyCpuSeconds: 16.2 } },
      }),
      TOL,
    );
    expect(d?.causes).toEqual(['cpu']);
    // Readings a moment apart can add up to more than the cores: shown as 100%.
    const over = diagnoseK6(
      latency({
        ...base,
        k6: { ...vusOk, cpu: { ...idleCpu, seconds: 10, k6CpuSeconds: 6, hostBusyCpuSeconds: 20.6 } },
      }),
      TOL,
    );
    expect(over?.findings[1]).toMatch(/while the host was 100% busy/);
  });

  it('both: CPU named first, each with its fix', () => {
    const d = diagnoseK6(
      latency({
        ...base,
        dropped: 50,
        k6: {
          preAllocatedVUs: 200,
          maxVUs: 1024,
          vusMax: 260,
          cpu: { ...idleCpu, seconds: 10, k6CpuSeconds: 19, hostBusyCpuSeconds: 19.5 },
        },
      }),
      TOL,
    );
    expect(d?.causes).toEqual(['cpu', 'vus']);
    expect(d?.fixes).toHaveLength(2);
    expect(d?.fixes[1]).toMatch(
      /^then, if k6 still drops arrivals: pre-allocate more VUs: set the tier's connections to 520/,
    );
    // The host share never reads above 100% (its /proc files and the clock are read a moment apart).
    expect(d?.findings[1]).toMatch(/the host was 98% busy/);
    expect(
      k6ShortageFlags(
        latency({
          ...base,
          dropped: 50,
          k6: {
            preAllocatedVUs: 200,
            maxVUs: 1024,
            vusMax: 260,
            cpu: { ...idleCpu, seconds: 10, k6CpuSeconds: 19 },
          },
        }),
        TOL,
      ),
    ).toEqual(['k6-short-of-cpu', 'k6-short-of-vus']);
  });

  it('in a cluster: the k6 container against its CPU limit, and the fix names the cluster settings', () => {
    const d = diagnoseK6(
      latency({
        ...base,
        k6: { ...vusOk, cpu: { span: 'k6-run', seconds: 12, k6CpuSeconds: 22, cores: 2 } },
      }),
      TOL,
    );
    expect(d?.causes).toEqual(['cpu']);
    expect(d?.findings[1]).toBe(
      'short of CPU: k6 used 1.83 cores of its 2-core limit over its whole run; k6 needs at least 20% idle to keep its schedule',
    );
    expect(d?.fixes[0]).toMatch(/kubernetes\.clientResources\.limits\.cpu.*k6Parallelism/);
  });

  it('VUs and CPU to spare: the shortfall is the target, not k6', () => {
    const d = diagnoseK6(latency({ ...base, k6: { ...vusOk, cpu: { ...idleCpu, seconds: 10 } } }), TOL);
    expect(d?.causes).toEqual([]);
    expect(d?.fixes).toEqual([
      "k6 had VUs and CPU to spare: the shortfall is the target's (errors, timeouts or latency), not k6's",
    ]);
  });

  it('a cell that held its rate and dropped nothing, or a builtin cell, has no diagnosis', () => {
    expect(
      diagnoseK6(latency({ target: 100, requests: 1000, dropped: 0, seconds: 10, k6: vusOk }), TOL),
    ).toBeUndefined();
    expect(diagnoseK6(latency({ target: 100, requests: 10, dropped: 90, seconds: 1 }), TOL)).toBeUndefined();
  });
});

describe('CPU figures from /proc', () => {
  it('host busy time is every tick but idle and iowait; guest time is not counted twice', () => {
    const stat = ['cpu  100 20 30 400 50 6 7 8 90 10', 'cpu0 50 10 15 200 25 3 3 4 45 5', 'intr 12345'].join(
      '\n',
    );
    // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice)
    expect(parseHostCpuTicks(stat)).toEqual({ busy: 100 + 20 + 30 + 6 + 7 + 8, total: 621 });
    expect(() => parseHostCpuTicks('intr 1\n')).toThrow(/no "cpu " line/);
  });

  it('between two readings: seconds, k6 and host CPU seconds at USER_HZ', () => {
    const a = { atMs: 1000, processTicks: 500, hostBusyTicks: 10_000 };
    const b = { atMs: 3000, processTicks: 650, hostBusyTicks: 10_360 };
    expect(cpuBetween(a, b, 100, 2)).toEqual({
      span: 'measure-window',
      seconds: 2,
      k6CpuSeconds: 1.5,
      hostBusyCpuSeconds: 3.6,
      cores: 2,
    });
  });
});
