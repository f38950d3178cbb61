import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../src/engines/k6/ingest.js';
import { latencySourceFor } from '../../src/engines/k6/tally.js';
import { latencyFromReduced, parseReducedLog } from '../../src/platforms/kubernetes/collect.js';
import { RESULT_MARKER } from '../../src/platforms/kubernetes/k6-reduce.js';
import type { Tier } from '../../src/spec/schema.js';
import { decodeHistogram, percentileMicros } from '../../src/stats/histogram.js';
import { CHURN_SAMPLE_ROWS, GRPC_SAMPLE_ROWS, k6CsvRows, type SampleRow } from '../helpers/k6-csv-sample.js';
import { podLogFromFixture } from '../helpers/k6-pod-log.js';

/*
 * The load pod's reducer (k6-reduce.ts, run by sh and, where installed, busybox) on what the scenario writes for
 * gRPC and churn tiers: the same figures as the local k6 ingest of the same CSV, which is the known answer here
 * (its own counts are asserted against the rows in k6-ingest-protocols.test.ts).
 */
const base: Tier = {
  name: 't',
  rps: 100,
  durationSec: 3,
  warmupSec: 1,
  connections: 2,
  payloadBytes: 0,
  protocol: 'http/1.1',
  maxInFlight: 2,
  timeoutMs: 1000,
};

const shells: string[][] = [['sh']];
try {
  execFileSync('busybox', ['true']);
  shells.push(['busybox', 'sh']);
} catch {
  // busybox missing: the host's sh/awk only (k8s-reduce.test.ts warns about it once).
}

async function podVersusLocal(rows: SampleRow[], tier: Tier, shell: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-k6-proto-pod-'));
  try {
    const csv = join(dir, 'out.csv');
    writeFileSync(csv, k6CsvRows(rows));
    const { log, status } = podLogFromFixture(csv, { shell });
    expect(status).toBe(0);
    const line = log.split('\n').find((l) => l.includes(RESULT_MARKER)) ?? '';
    const fromPod = latencyFromReduced([parseReducedLog(log)], tier);
    const local = await ingestK6Output(csv, { timeoutMs: tier.timeoutMs, latency: latencySourceFor(tier) });
    return { fromPod, local, line };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(shells.map((shell) => ({ name: shell.join(' '), shell })))('reducer ($name)', ({ shell }) => {
  it.each([
    ['gRPC', GRPC_SAMPLE_ROWS, { ...base, protocol: 'grpc' as const }],
    ['churn', CHURN_SAMPLE_ROWS, { ...base, requestsPerConnection: 1 }],
  ])('%s rows reduce to the local ingest’s figures', async (_name, rows, tier) => {
    const { fromPod, local } = await podVersusLocal(rows, tier, shell);
    expect(fromPod.requests).toBe(local.requests);
    expect(fromPod.ok).toBe(local.ok);
    expect(fromPod.errors).toEqual(local.errors);
    const h = decodeHistogram(fromPod.histogram);
    expect(h.totalCount).toBe(local.histogram.totalCount);
    for (const p of [0, 50, 100]) {
      const want = percentileMicros(local.histogram, p);
      expect(Math.abs(percentileMicros(h, p) - want) / want).toBeLessThan(0.002);
    }
  });

  it('a plain HTTP/1.1 keep-alive output gets no gRPC keys in its line', async () => {
    const rows: SampleRow[] = [{ metric: 'http_req_duration', ms: 1, phase: 'measure', status: '200' }];
    const { line } = await podVersusLocal(rows, base, shell);
    expect(line).not.toMatch(/grpc|connectFailures/);
  });
});
