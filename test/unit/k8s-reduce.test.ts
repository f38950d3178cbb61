import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../src/engines/k6/ingest.js';
import { latencyFromReduced, parseReducedLog } from '../../src/platforms/kubernetes/collect.js';
import { RESULT_MARKER } from '../../src/platforms/kubernetes/k6-reduce.js';
import type { Tier } from '../../src/spec/schema.js';
import { decodeHistogram, percentileMicros } from '../../src/stats/histogram.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evenSample, k6CsvSample } from '../helpers/k6-csv-sample.js';
import { K6_FIXTURES, podLogFromFixture } from '../helpers/k6-pod-log.js';
import { k6Fixtures } from '../helpers/shared-data.js';

const tier: Tier = {
  name: 't',
  rps: 100,
  durationSec: 3,
  warmupSec: 1,
  connections: 2,
  payloadBytes: 0,
  protocol: 'http/1.1',
  maxInFlight: 2,
  timeoutMs: 5000,
};

function hasBusybox(): boolean {
  try {
    execFileSync('busybox', ['true']);
    return true;
  } catch {
    return false;
  }
}

// The grafana/k6 image runs the wrapper with busybox sh and awk; the host's sh/awk (dash, mawk) must agree.
const shells: { name: string; shell: string[] }[] = [{ name: 'sh', shell: ['sh'] }];
if (hasBusybox()) shells.push({ name: 'busybox', shell: ['busybox', 'sh'] });
else
  console.warn(
    'k8s-reduce: busybox not installed, the wrapper is only checked with the host sh/awk (apt-get install busybox)',
  );

/** The pod's reduction against the local ingest of the same CSV: counts exact, percentiles within 0.2%. */
async function expectSameAsLocalIngest(csv: string, shell: string[]): Promise<void> {
  const { log, status } = podLogFromFixture(csv, { shell });
  expect(status).toBe(0);
  const reduced = parseReducedLog(log);
  const fromPod = latencyFromReduced([reduced], tier);
  const local = await ingestK6Output(csv, { timeoutMs: tier.timeoutMs });
  expect(fromPod.requests).toBe(local.requests);
  expect(fromPod.ok).toBe(local.ok);
  expect(fromPod.errors).toEqual(local.errors);
  expect(fromPod.dropped).toBe(local.dropped);
  const h = decodeHistogram(fromPod.histogram);
  expect(h.totalCount).toBe(local.histogram.totalCount);
  for (const p of [50, 90, 99, 99.9, 100]) {
    const want = percentileMicros(local.histogram, p);
    expect(Math.abs(percentileMicros(h, p) - want) / want).toBeLessThan(0.002);
  }
  // The log line stays small: bounded by distinct buckets, not by requests.
  const line = log.split('\n').find((l) => l.includes(RESULT_MARKER)) ?? '';
  expect(line.length).toBeLessThan(40_000);
}

describe.each(shells)(
  "load pod wrapper and reducer on the project's own k6-format sample ($name)",
  ({ shell }) => {
    it('reduces it to the same figures as the local ingest, errors and drops included', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'meshbench-k6-sample-'));
      try {
        const sample = evenSample({ warmup: 40, measure: 2000, minMs: 0.2, maxMs: 30, dropped: 4 });
        sample.requests.push(
          { phase: 'measure', ms: 0.3, status: 0, errorCode: 1212 },
          { phase: 'measure', ms: 4, status: 500, errorCode: 1500 },
        );
        const csv = join(dir, 'out.csv');
        writeFileSync(csv, k6CsvSample(sample));
        await expectSameAsLocalIngest(csv, shell);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

k6Fixtures.describe('load pod wrapper and reducer on recorded k6 runs', () => {
  describe.each(shells)('$name', ({ shell }) => {
    // Known answer: the k6 engine's own ingest of the same recorded output. Counts must match exactly; percentiles
    // within 0.2%: the pod keeps 4 significant digits (<= 0.05% rounding) and both sides then record into HDR
    // buckets 0.1% wide, so a value may land one bucket apart.
    it.each(['ok-200rps', 'errors', 'dropped'])(
      'reduces %s to the same figures as the local ingest',
      (fixture) => expectSameAsLocalIngest(`${K6_FIXTURES}/${fixture}/out.csv`, shell),
    );

    it('reports vus_max at its highest: the VUs k6 initialised (shared/fixtures/k6: 20 and 2)', () => {
      for (const [fixture, vusMax] of [
        ['ok-200rps', 20],
        ['dropped', 2],
      ] as const) {
        const { log } = podLogFromFixture(`${K6_FIXTURES}/${fixture}/out.csv`, { shell });
        expect(parseReducedLog(log).vusMax).toBe(vusMax);
      }
    });

    it("measures the k6 container's CPU over k6's run from its cgroup, against the container's CPU limit", () => {
      const cg = mkdtempSync(join(tmpdir(), 'meshbench-cgroup-'));
      try {
        const run = (cpuMax: string | undefined) => {
          writeFileSync(join(cg, 'cpu.stat'), 'usage_usec 500000\nuser_usec 400000\nsystem_usec 100000\n');
          if (cpuMax === undefined) rmSync(join(cg, 'cpu.max'), { force: true });
          else writeFileSync(join(cg, 'cpu.max'), `${cpuMax}\n`);
          const { log, status } = podLogFromFixture(`${K6_FIXTURES}/errors/out.csv`, {
            shell,
            env: { MESHBENCH_CGROUP_DIR: cg },
            // k6 "uses" 2 s of CPU in 0.3 s of wall time.
            k6Extra: `printf 'usage_usec 2500000\\nuser_usec 2000000\\n' > "${cg}/cpu.stat"; sleep 0.3`,
          });
          expect(status).toBe(0);
          return parseReducedLog(log).cpu;
        };
        const limited = run('150000 100000');
        expect(limited?.usec).toBe(2_000_000);
        expect(limited?.cores).toBe(1.5);
        expect(limited?.wallCs).toBeGreaterThanOrEqual(25);
        expect(limited?.wallCs).toBeLessThan(1000);
        // No CPU limit ("max"): the CPUs the pod sees.
        const unlimited = run('max 100000');
        expect(unlimited?.cores).toBe(Number(execFileSync('nproc', { encoding: 'utf8' }).trim()));
        // No cgroup CPU accounting at all: no CPU figure rather than a wrong one.
        rmSync(join(cg, 'cpu.stat'));
        const { log } = podLogFromFixture(`${K6_FIXTURES}/errors/out.csv`, {
          shell,
          env: { MESHBENCH_CGROUP_DIR: cg },
        });
        expect(parseReducedLog(log).cpu).toBeUndefined();
      } finally {
        rmSync(cg, { recursive: true, force: true });
      }
    });

    it('passes k6 exit code through and still prints the result', () => {
      const { log, status } = podLogFromFixture(`${K6_FIXTURES}/threshold-fail/out.csv`, {
        shell,
        exitCode: 99,
      });
      expect(status).toBe(99);
      expect(parseReducedLog(log).exit).toBe(99);
    });

    it('gives each indexed pod its own execution segment', () => {
      const { log } = podLogFromFixture(`${K6_FIXTURES}/errors/out.csv`, {
        shell,
        env: { MESHBENCH_PARALLELISM: '3', JOB_COMPLETION_INDEX: '1' },
      });
      expect(log).toContain('--execution-segment 1/3:2/3 --execution-segment-sequence 0,1/3,2/3,1');
      const first = podLogFromFixture(`${K6_FIXTURES}/errors/out.csv`, {
        shell,
        env: { MESHBENCH_PARALLELISM: '2', JOB_COMPLETION_INDEX: '0' },
      });
      expect(first.log).toContain('--execution-segment 0:1/2 --execution-segment-sequence 0,1/2,1');
    });
  });
});

describe('collecting reduced output', () => {
  it("adds up the pods' VUs and CPU into what k6 had to work with", () => {
    const pod = (vusMax: number, usec: number, wallCs: number) => ({
      v: 1 as const,
      exit: 0,
      rowsAll: 10,
      requests: 10,
      durations: 10,
      dropped: 0,
      vusMax,
      cpu: { usec, wallCs, cores: 2 },
      buckets: { '1000': 10 },
      failed: {},
      outcomes: { '200|': 10 },
    });
    const vus = {
      preAllocatedVUs: 102,
      maxVUs: 1002,
      latencyBudgetMs: 100,
      limitedBy: 'latency-budget' as const,
      parallelism: 3,
    };
    const r = latencyFromReduced([pod(34, 3e6, 600), pod(36, 4e6, 610), pod(34, 2e6, 590)], tier, vus);
    expect(r.k6).toEqual({
      preAllocatedVUs: 102,
      maxVUs: 1002,
      vusMax: 104,
      cpu: { span: 'k6-run', seconds: 6.1, k6CpuSeconds: 9, cores: 6 },
    });
    // A pod without a CPU reading (a k6-operator runner): no CPU figure for the cell; no sizing: no k6 figures.
    const { cpu: _c, ...noCpu } = pod(34, 0, 1);
    expect(latencyFromReduced([pod(34, 3e6, 600), noCpu], tier, vus).k6?.cpu).toBeUndefined();
    expect(latencyFromReduced([pod(34, 3e6, 600)], tier).k6).toBeUndefined();
  });

  it('merges several load pods as histograms, not by averaging percentiles', () => {
    // Pod A: 1000 requests at 1 ms; pod B: 10 at 100 ms. Merged p99.5 lies in B's values, which no average of
    // the pods' own p99.5 (1 ms and 100 ms -> 50.5 ms) would give.
    const a = {
      v: 1 as const,
      exit: 0,
      rowsAll: 1000,
      requests: 1000,
      durations: 1000,
      dropped: 0,
      buckets: { '1000': 1000 },
      failed: {},
      outcomes: { '200|': 1000 },
    };
    const b = {
      v: 1 as const,
      exit: 0,
      rowsAll: 10,
      requests: 10,
      durations: 10,
      dropped: 2,
      buckets: { '100000': 10 },
      failed: {},
      outcomes: { '200|': 10 },
    };
    const r = latencyFromReduced([a, b], tier);
    const h = decodeHistogram(r.histogram);
    expect(h.totalCount).toBe(1010);
    expect(percentileMicros(h, 50)).toBeGreaterThanOrEqual(999);
    expect(percentileMicros(h, 50)).toBeLessThanOrEqual(1001);
    expect(percentileMicros(h, 99.5)).toBeGreaterThan(99_000);
    expect(r.requests).toBe(1010);
    expect(r.dropped).toBe(2);
    expect(r.achievedRps).toBeCloseTo(1010 / tier.durationSec, 6);
  });

  it('records timeouts at no less than the timeout and leaves refused requests out of the histogram', () => {
    const r = latencyFromReduced(
      [
        {
          v: 1,
          exit: 0,
          rowsAll: 3,
          requests: 3,
          durations: 3,
          dropped: 0,
          buckets: {},
          failed: { '1050|20': 1, '1212|5': 2 },
          outcomes: { '0|1050': 1, '0|1212': 2 },
        },
      ],
      tier,
    );
    const h = decodeHistogram(r.histogram);
    expect(h.totalCount).toBe(1);
    expect(percentileMicros(h, 100)).toBeGreaterThanOrEqual(tier.timeoutMs * 1000 * 0.999);
    expect(r.errors).toEqual({ byStatus: { '0': 3 }, byKind: { timeout: 1, refused: 2 } });
  });

  it('explains a log without a result line, a cut line and k6 that never started', () => {
    expect(() => parseReducedLog('k6 output only\n')).toThrow(/no @@MESHBENCH-K6@@ line/);
    expect(() => parseReducedLog(`${RESULT_MARKER}{"v":1,"exit":0,"buck`)).toThrow(/not JSON/);
    expect(() => parseReducedLog(`${RESULT_MARKER}{"v":1,"exit":107,"missing":true}`)).toThrow(
      /wrote no output/,
    );
  });

  it('refuses output whose rows are all outside the measure window', () => {
    expect(() =>
      latencyFromReduced(
        [
          {
            v: 1,
            exit: 0,
            rowsAll: 50,
            requests: 0,
            durations: 0,
            dropped: 0,
            buckets: {},
            failed: {},
            outcomes: {},
          },
        ],
        tier,
      ),
    ).toThrow(/measure window/);
  });
});
