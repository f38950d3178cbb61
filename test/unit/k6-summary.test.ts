import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SUMMARY_STDOUT_MARKER } from '../../src/engines/k6/env-keys.js';
import { extractMarkedSummary, parseK6Summary } from '../../src/engines/k6/summary.js';
import { k6Fixtures } from '../helpers/shared-data.js';

const read = (dir: string, file: string): Promise<string> => readFile(k6Fixtures.file(dir, file), 'utf8');

describe('parseK6Summary', () => {
  k6Fixtures.it(
    'reads the legacy --summary-export and the handleSummary shape of the same run alike',
    async () => {
      const legacy = parseK6Summary(await read('ok-200rps', 'summary-export.json'));
      const handle = parseK6Summary(await read('ok-200rps', 'handle-summary.json'));
      expect(legacy.shape).toBe('summary-export');
      expect(handle.shape).toBe('handle-summary');
      const { shape: _a, testRunDurationMs, ...l } = legacy;
      const { shape: _b, testRunDurationMs: handleDuration, ...h } = handle;
      expect(h).toEqual(l);
      expect(testRunDurationMs).toBeUndefined();
      expect(handleDuration).toBeGreaterThan(6000); // 1 s warm-up + 5 s measure, plus the graceful end
      // The handleSummary fixture printed its own count to stdout: the same number must come out of the JSON.
      const marker = /@@SUMMARY@@(\{.*\})/.exec(await read('ok-200rps', 'stdout.txt'));
      expect(handle.requests).toBe((JSON.parse(marker?.[1] ?? '{}') as { reqs: number }).reqs);
      // The scenario's summaryTrendStats: the tail percentiles the report needs are there.
      for (const k of ['p(50)', 'p(90)', 'p(99)', 'p(99.9)']) expect(handle.durationMs[k]).toBeGreaterThan(0);
    },
  );

  k6Fixtures.it('gives achieved rate, dropped iterations and failed-request rate', async () => {
    const dropped = parseK6Summary(await read('dropped', 'summary-export.json'));
    expect(dropped.droppedIterations).toBe(200);
    // 101 requests in a ~3.05 s run: k6 computes the rate over the whole run.
    expect(dropped.requestRate).toBeGreaterThan(30);
    expect(dropped.requestRate).toBeLessThan(35);
    const errors = parseK6Summary(await read('errors', 'summary-export.json'));
    expect(errors.failedRequestRate).toBeCloseTo(91 / 301, 12);
    expect(errors.droppedIterations).toBe(0);
  });

  k6Fixtures.it('reports a crossed threshold (legacy export: true means FAILED)', async () => {
    const s = parseK6Summary(await read('threshold-fail', 'summary-export.json'));
    expect(s.thresholds).toEqual([{ metric: 'http_req_duration', expression: 'p(99)<1', ok: false }]);
    expect(parseK6Summary(await read('ok-200rps', 'summary-export.json')).thresholds).toEqual([]);
  });

  it('sums checks over nested groups in both shapes', () => {
    const legacy = {
      metrics: { http_reqs: { count: 3, rate: 1 } },
      root_group: {
        checks: { a: { name: 'a', passes: 2, fails: 1 } },
        groups: { g: { checks: { b: { name: 'b', passes: 5, fails: 0 } }, groups: {} } },
      },
    };
    const handle = {
      metrics: {
        http_reqs: { type: 'counter', values: { count: 3, rate: 1 } },
        checks: { type: 'rate', values: { rate: 0.875 }, thresholds: { 'rate>0.9': { ok: false } } },
      },
      root_group: {
        checks: [{ name: 'a', passes: 2, fails: 1 }],
        groups: [{ checks: [{ name: 'b', passes: 5, fails: 0 }], groups: [] }],
      },
    };
    expect(parseK6Summary(legacy).checks).toEqual({ passes: 7, fails: 1 });
    const h = parseK6Summary(JSON.stringify(handle));
    expect(h.checks).toEqual({ passes: 7, fails: 1 });
    expect(h.thresholds).toEqual([{ metric: 'checks', expression: 'rate>0.9', ok: false }]);
  });

  it('refuses what is not a k6 summary, naming the source', () => {
    expect(() => parseK6Summary('{"metrics": ', 'summary.json')).toThrow(/summary.json is not JSON/);
    expect(() => parseK6Summary('[]', 'x.json')).toThrow(/x.json is not a k6 summary/);
  });

  k6Fixtures.it('finds the summary a scenario printed to stdout after the marker', async () => {
    const json = JSON.stringify(JSON.parse(await read('ok-200rps', 'handle-summary.json')));
    const stdout = `running (06.0s), 000/020 VUs, 1202 complete\n\n${SUMMARY_STDOUT_MARKER}${json}\n\nrunning (06.0s) ...\n`;
    expect(extractMarkedSummary(stdout)?.requests).toBe(1202);
    expect(extractMarkedSummary('no marker here')).toBeUndefined();
  });
});
