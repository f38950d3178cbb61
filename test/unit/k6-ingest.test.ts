import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestK6Output, K6OutputTruncatedError, parseK6Summary } from '../../src/engines/k6/ingest.js';
import { verifyIngest } from '../../src/engines/k6/latency-result.js';
import { encodeHistogram, percentileMicros } from '../../src/stats/histogram.js';
import { evenSample, K6_CSV_HEADER, k6CsvSample } from '../helpers/k6-csv-sample.js';
import { k6Fixtures } from '../helpers/shared-data.js';

// Real k6 v0.48 outputs, recorded against servers on 127.0.0.1 (see the fixtures' README.md). CI clones the
// repository with shared/ beside it; without it those tests are reported as skipped.
const fixture = (dir: string, file: string): string => k6Fixtures.file(dir, file);

/**
 * An independent reading of the same CSV, for known answers: the fixtures hold no quoted fields, so a plain
 * split is exact here. Returns measure-window http_req_duration samples (ms) with their status.
 */
async function naiveDurations(dir: string): Promise<{ ms: number; status: number }[]> {
  const [head, ...rows] = (await readFile(fixture(dir, 'out.csv'), 'utf8')).trimEnd().split('\n');
  const cols = (head ?? '').split(',');
  const at = (name: string): number => cols.indexOf(name);
  return rows
    .map((r) => r.split(','))
    .filter(
      (f) =>
        f[0] === 'http_req_duration' &&
        f[at('scenario')] !== 'warmup' &&
        !(f[at('extra_tags')] ?? '').split('&').includes('phase=warmup'),
    )
    .map((f) => ({ ms: Number(f[at('metric_value')]), status: Number(f[at('status')]) }));
}

/** Nearest-rank percentile of exact values, the definition HDR's getValueAtPercentile approximates. */
function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

k6Fixtures.describe('ingestK6Output on real k6 output', () => {
  it('leaves out the warm-up of ok-200rps and counts the measure window (CSV)', async () => {
    const r = await ingestK6Output(fixture('ok-200rps', 'out.csv'));
    const summary = parseK6Summary(await readFile(fixture('ok-200rps', 'summary-export.json'), 'utf8'));
    // k6's summary covers warm-up and measure; together they must account for every request it counted.
    expect(r.requests + r.warmup.requests).toBe(summary.requests);
    // 200/s for 1 s of warm-up and 5 s of measure: k6 starts one iteration at each scenario's t=0 as well.
    expect(r.warmup.requests).toBe(201);
    expect(r.requests).toBe(1001);
    expect(r.ok).toBe(1001);
    expect(r.histogram.totalCount).toBe(1001);
    expect(r.dropped).toBe(0);
  });

  it('reads the same figures from CSV and JSON lines, down to the histogram bytes', async () => {
    for (const dir of ['ok-200rps', 'errors', 'dropped', 'threshold-fail']) {
      const csv = await ingestK6Output(fixture(dir, 'out.csv'));
      const json = await ingestK6Output(fixture(dir, 'out.json'));
      expect(encodeHistogram(json.histogram), dir).toEqual(encodeHistogram(csv.histogram));
      const strip = ({
        histogram: _h,
        bytes: _b,
        lines: _l,
        ...rest
      }: Awaited<ReturnType<typeof ingestK6Output>>) => rest;
      expect(strip(json), dir).toEqual(strip(csv));
    }
  });

  it('histogram percentiles match the exact samples within HDR resolution', async () => {
    for (const dir of ['ok-200rps', 'dropped', 'threshold-fail']) {
      const r = await ingestK6Output(fixture(dir, 'out.csv'));
      const exact = (await naiveDurations(dir)).map((s) => s.ms * 1000).sort((a, b) => a - b);
      expect(r.histogram.totalCount).toBe(exact.length);
      for (const p of [50, 90, 99, 99.9, 100]) {
        // 3 significant digits: a bucket spans at most 0.1% of its value; +1 us for rounding to whole microseconds.
        const want = nearestRank(exact, p);
        expect(Math.abs(percentileMicros(r.histogram, p) - want), `${dir} p${p}`).toBeLessThanOrEqual(
          want * 0.001 + 1,
        );
      }
    }
  });

  it("agrees with k6's own summary where it covers only the measure window (min, max, mean, count)", async () => {
    for (const dir of ['dropped', 'threshold-fail']) {
      const r = await ingestK6Output(fixture(dir, 'out.csv'));
      const s = parseK6Summary(await readFile(fixture(dir, 'summary-export.json'), 'utf8'));
      expect(r.histogram.totalCount).toBe(s.durationMs['count'] ?? s.requests);
      // Same 0.1% HDR bucket tolerance as above.
      for (const [ours, theirs] of [
        [r.histogram.minNonZeroValue, s.durationMs['min']],
        [r.histogram.maxValue, s.durationMs['max']],
        [r.histogram.mean, s.durationMs['avg']],
      ] as const) {
        expect(theirs).toBeDefined();
        expect(Math.abs(ours - (theirs ?? 0) * 1000), dir).toBeLessThanOrEqual(
          (theirs ?? 0) * 1000 * 0.001 + 1,
        );
      }
    }
  });

  it('sorts failures: refused connections by kind, HTTP 500 by status, and keeps no-response requests out of the histogram', async () => {
    const r = await ingestK6Output(fixture('errors', 'out.csv'));
    const samples = await naiveDurations('errors');
    const refused = samples.filter((s) => s.status === 0).length;
    const http500 = samples.filter((s) => s.status === 500).length;
    expect(refused).toBeGreaterThan(0);
    expect(r.requests).toBe(samples.length);
    expect(r.errors.byStatus).toEqual({ '0': refused, '500': http500 });
    expect(r.errors.byKind).toEqual({ refused });
    expect(r.ok).toBe(samples.length - refused - http500);
    // k6 reports 0 ms for a refused connection: not a latency. A 500 did come back, so its latency counts.
    expect(r.histogram.totalCount).toBe(samples.length - refused);
    const s = parseK6Summary(await readFile(fixture('errors', 'summary-export.json'), 'utf8'));
    expect(s.failedRequestRate).toBeCloseTo((refused + http500) / samples.length, 12);
  });

  it('counts dropped iterations of the measure scenario', async () => {
    const r = await ingestK6Output(fixture('dropped', 'out.csv'));
    const s = parseK6Summary(await readFile(fixture('dropped', 'summary-export.json'), 'utf8'));
    expect(s.droppedIterations).toBe(200);
    expect(r.dropped).toBe(s.droppedIterations);
  });

  it('refuses a file cut mid-line, naming it (CSV and JSON)', async () => {
    for (const f of ['out.csv', 'out.json']) {
      const path = fixture('truncated', f);
      const err = await ingestK6Output(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(K6OutputTruncatedError);
      expect((err as Error).message).toContain(path);
      expect((err as Error).message).toMatch(/cut short/);
    }
  });
});

describe('ingestK6Output on edge cases', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshbench-k6-ingest-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const header = K6_CSV_HEADER;

  it("counts and percentiles of the project's own k6-format sample (runs without shared/)", async () => {
    const path = join(dir, 'sample.csv');
    // 1000 measure requests at 1.000, 1.001, ... 1.999 ms; 50 warm-up ones; 3 dropped; 2 connection errors and
    // a 500 in the measure window.
    const sample = evenSample({ warmup: 50, measure: 1000, minMs: 1, maxMs: 1.999, dropped: 3 });
    sample.requests.push(
      { phase: 'measure', ms: 0.5, status: 0, errorCode: 1212 },
      { phase: 'measure', ms: 0.5, status: 0, errorCode: 1212 },
      { phase: 'measure', ms: 3, status: 500, errorCode: 1500 },
    );
    await writeFile(path, k6CsvSample(sample));
    const r = await ingestK6Output(path, { timeoutMs: 5000 });
    expect(r.requests).toBe(1003);
    expect(r.ok).toBe(1000);
    expect(r.warmup.requests).toBe(50);
    expect(r.dropped).toBe(3);
    expect(r.errors.byStatus).toEqual({ '0': 2, '500': 1 });
    expect(r.errors.byKind).toEqual({ refused: 2 });
    // Responses are in the histogram, the 500 included; refused connections are not (no response latency).
    expect(r.histogram.totalCount).toBe(1001);
    // Nearest rank over the 1001 values: p50 is the 501st smallest, 1.500 ms (HDR: 3 significant digits).
    expect(Math.abs(percentileMicros(r.histogram, 50) - 1500)).toBeLessThanOrEqual(2);
    expect(r.histogram.maxValue).toBeGreaterThanOrEqual(3000 * 0.999);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks (Go encoding/csv quoting)', async () => {
    const path = join(dir, 'quoted.csv');
    const rows = [
      header,
      // A timeout with an error message holding a comma and quotes, spanning two lines.
      'http_req_duration,1795300920,7.5,,"request timeout: ""GET"", after\n5s",1050,false,,GET,u,,measure,,0,,,u,phase=measure,',
      'http_req_duration,1795300920,1.25,,,,true,,GET,"http://x/?a=1,2",HTTP/1.1,measure,,200,,,"http://x/?a=1,2",phase=measure&mode=baseline,',
      'dropped_iterations,1795300920,1.000000,,,,,,,,,measure,,,,,,,',
      'dropped_iterations,1795300920,1.000000,,,,,,,,,warmup,,,,,,,',
      'checks,1795300920,0.000000,"protocol is HTTP/1.1",,,,,,,,measure,,200,,,,phase=measure,',
    ];
    await writeFile(path, rows.join('\n') + '\n');
    const r = await ingestK6Output(path, { timeoutMs: 5000 });
    expect(r.requests).toBe(2);
    expect(r.ok).toBe(1);
    expect(r.errors.byKind).toEqual({ timeout: 1 });
    // The timeout is recorded at no less than the tier timeout (5 s), the 200 at its 1.25 ms.
    expect(r.histogram.maxValue).toBeGreaterThanOrEqual(5_000_000 * 0.999);
    expect(r.histogram.minNonZeroValue).toBe(1250);
    expect(r.dropped).toBe(1);
    expect(r.warmup.dropped).toBe(1);
    expect(r.checks).toEqual({ passes: 0, fails: 1 });
  });

  it('tells phase=warmup from a tag that only contains the words', async () => {
    const path = join(dir, 'tags.csv');
    const rows = [
      header,
      'http_req_duration,1,1.0,,,,true,,GET,u,,measure,,200,,,u,xphase=warmup&phase=measure,',
      'http_req_duration,1,1.0,,,,true,,GET,u,,measure,,200,,,u,mode=a&phase=warmup,',
    ];
    await writeFile(path, rows.join('\n') + '\n');
    const r = await ingestK6Output(path);
    expect(r.requests).toBe(1);
    expect(r.warmup.requests).toBe(1);
  });

  it('refuses an empty file, a foreign CSV, a row of the wrong width and a quote left open at the end', async () => {
    const cases: [string, string, RegExp][] = [
      ['empty.csv', '', /empty/],
      ['foreign.csv', 'a,b,c\n1,2,3\n', /lacks the column "metric_name"/],
      ['width.csv', `${header}\nhttp_req_duration,1,1.0,,,\n`, /line 2: 6 fields where the header has 19/],
      ['open.csv', `${header}\nhttp_req_duration,1,1.0,,"open\n`, /cut short/],
      [
        'nan.csv',
        `${header}\nhttp_req_duration,1,abc,,,,true,,GET,u,,measure,,200,,,u,,\n`,
        /"abc" is not a number/,
      ],
    ];
    for (const [name, text, want] of cases) {
      const path = join(dir, name);
      await writeFile(path, text);
      await expect(ingestK6Output(path), name).rejects.toThrow(want);
    }
    await expect(ingestK6Output(join(dir, 'missing.csv'))).rejects.toThrow(/ENOENT/);
  });

  k6Fixtures.it('catches a file cut exactly at a line end by comparing with the summary count', async () => {
    const lines = (await readFile(fixture('ok-200rps', 'out.csv'), 'utf8')).split('\n');
    const path = join(dir, 'cut.csv');
    await writeFile(path, lines.slice(0, 9000).join('\n') + '\n');
    const r = await ingestK6Output(path);
    const s = parseK6Summary(await readFile(fixture('ok-200rps', 'summary-export.json'), 'utf8'));
    expect(() => verifyIngest(r, path, 'http/1.1', s)).toThrow(
      /holds \d+ requests but k6's summary counted 1202/,
    );
    const full = await ingestK6Output(fixture('ok-200rps', 'out.csv'));
    expect(() => verifyIngest(full, 'out.csv', 'http/1.1', s)).not.toThrow();
  });
});
