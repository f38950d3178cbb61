import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../src/engines/k6/ingest.js';
import { grpcOutcome, latencySourceFor } from '../../src/engines/k6/tally.js';
import { percentileMicros } from '../../src/stats/histogram.js';
import { CHURN_SAMPLE_ROWS, GRPC_SAMPLE_ROWS, k6CsvRows, type SampleRow } from '../helpers/k6-csv-sample.js';

/**
 * Ingest of what the scenario writes for gRPC and churn tiers, in k6 v0.48's CSV and JSON formats, written by this
 * project (no recorded k6 run holds them). Known answers come from the rows written, not from the code under test.
 */
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-k6-ingest-proto-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Row = SampleRow;

function jsonl(rows: Row[]): string {
  return `${rows
    .map((r) =>
      JSON.stringify({
        metric: r.metric,
        type: 'Point',
        data: {
          time: '2026-12-05T06:00:00Z',
          value: r.ms,
          tags: {
            scenario: r.phase,
            phase: r.phase,
            ...(r.status !== undefined ? { status: r.status } : {}),
            ...(r.code !== undefined ? { error_code: r.code } : {}),
          },
        },
      }),
    )
    .join('\n')}\n`;
}

async function both(name: string, rows: Row[], latency: 'http' | 'with-connect' | 'grpc') {
  const c = join(dir, `${name}.csv`);
  const j = join(dir, `${name}.json`);
  await writeFile(c, k6CsvRows(rows));
  await writeFile(j, jsonl(rows));
  const fromCsv = await ingestK6Output(c, { latency, timeoutMs: 1000 });
  const fromJson = await ingestK6Output(j, { latency, timeoutMs: 1000 });
  return { fromCsv, fromJson };
}

describe('latencySourceFor', () => {
  it.each([
    [{ protocol: 'http/1.1' as const }, 'http'],
    [{ protocol: 'http/1.1' as const, requestsPerConnection: 1 }, 'with-connect'],
    [{ protocol: 'grpc' as const }, 'grpc'],
  ])('%j reads %s', (tier, source) => {
    expect(latencySourceFor(tier)).toBe(source);
  });
});

describe('grpcOutcome', () => {
  it.each([
    [0, { ok: true, micros: 2500 }],
    [4, { ok: false, kind: 'timeout', micros: 1_000_000 }],
    [14, { ok: false, kind: 'refused' }],
    [13, { ok: false, micros: 2500 }],
  ])('status %i', (code, outcome) => {
    expect(grpcOutcome(2.5, code, 1000)).toEqual(outcome);
  });
});

describe('ingestK6Output for gRPC tiers', () => {
  // Measure: 3 OK calls (1, 2, 3 ms), one INTERNAL (13) at 4 ms, one DEADLINE_EXCEEDED at 1000.5 ms, one UNAVAILABLE,
  // two connect failures; the warm-up's rows are left out.
  const rows = GRPC_SAMPLE_ROWS;

  it('counts calls by gRPC status, records what the server answered, and reads CSV and JSON alike', async () => {
    const { fromCsv, fromJson } = await both('grpc', rows, 'grpc');
    for (const i of [fromCsv, fromJson]) {
      expect(i.requests).toBe(8);
      expect(i.ok).toBe(3);
      expect(i.errors.byStatus).toEqual({ 'grpc-13': 1, 'grpc-4': 1, 'grpc-14': 1, '0': 2 });
      expect(i.errors.byKind).toEqual({ timeout: 1, refused: 3 });
      expect(i.warmup.requests).toBe(2);
      // 1, 2, 3, 4 and the timeout at 1000.5 ms: five latencies.
      expect(i.histogram.totalCount).toBe(5);
      expect(percentileMicros(i.histogram, 50) / 1000).toBeCloseTo(3, 1);
      expect(i.histogram.maxValue / 1000).toBeCloseTo(1000.5, 0);
    }
  });
});

describe('ingestK6Output for connection-churn tiers', () => {
  // Each request: http_req_duration (set-up excluded) and the scenario's meshbench_req_duration (set-up included).
  const rows = CHURN_SAMPLE_ROWS;

  it('takes latency from the metric with connection set-up, and counts from http_req_duration', async () => {
    const { fromCsv, fromJson } = await both('churn', rows, 'with-connect');
    for (const i of [fromCsv, fromJson]) {
      expect(i.requests).toBe(3);
      expect(i.ok).toBe(2);
      expect(i.errors.byKind).toEqual({ refused: 1 });
      // 1.5 and 3 ms: the refused request has no latency, the warm-up's 7 ms is left out.
      expect(i.histogram.totalCount).toBe(2);
      expect(i.histogram.minNonZeroValue / 1000).toBeCloseTo(1.5, 2);
      expect(i.histogram.maxValue / 1000).toBeCloseTo(3, 2);
    }
  });

  it('a keep-alive tier ignores the extra metric and reads http_req_duration as before', async () => {
    const { fromCsv } = await both('keepalive', rows, 'http');
    expect(fromCsv.histogram.totalCount).toBe(2);
    expect(fromCsv.histogram.maxValue / 1000).toBeCloseTo(2, 2);
  });
});
