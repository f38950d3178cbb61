import { SUMMARY_STDOUT_MARKER } from './env-keys.js';

/**
 * k6's end-of-test summary, from either of its two JSON shapes:
 * - `--summary-export` (legacy): metrics.<name> = {count, rate} | {passes, fails, value} | trend stats, thresholds
 *   as {expr: true-if-FAILED}; root_group.checks and .groups are objects keyed by name.
 * - handleSummary(data): metrics.<name> = {type, contains, values: {...}, thresholds: {expr: {ok}}};
 *   root_group.checks and .groups are arrays.
 * The summary covers the whole run, warm-up included; meshbench's figures come from the raw output, and the
 * summary serves to cross-check them and to report checks and thresholds.
 */
export interface K6Summary {
  shape: 'summary-export' | 'handle-summary';
  /** http_reqs: requests over the whole run and k6's rate (per second of the whole run). */
  requests?: number;
  requestRate?: number;
  droppedIterations: number;
  /** http_req_failed: share of requests k6 counted as failed (0..1). */
  failedRequestRate?: number;
  checks: { passes: number; fails: number };
  /** http_req_duration trend stats as k6 computed them, milliseconds (avg, min, med, max, p(90), p(99)...). */
  durationMs: Record<string, number>;
  thresholds: { metric: string; expression: string; ok: boolean }[];
  testRunDurationMs?: number;
  /**
   * vus_max at its highest: every VU k6 initialised, pre-allocated ones first and the ones it started mid-test
   * after them (k6 never de-initialises a VU during a run, so the gauge only grows).
   */
  vusMax?: number;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function sumChecks(group: unknown, into: { passes: number; fails: number }): void {
  if (!isObj(group)) return;
  const checks = group['checks'];
  const list = Array.isArray(checks) ? checks : isObj(checks) ? Object.values(checks) : [];
  for (const c of list) {
    if (!isObj(c)) continue;
    into.passes += num(c['passes']) ?? 0;
    into.fails += num(c['fails']) ?? 0;
  }
  const groups = group['groups'];
  const subs = Array.isArray(groups) ? groups : isObj(groups) ? Object.values(groups) : [];
  for (const g of subs) sumChecks(g, into);
}

export function parseK6Summary(input: string | unknown, source = 'k6 summary'): K6Summary {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      throw new Error(
        `${source} is not JSON (${(e as Error).message}); k6 may have stopped while writing it`,
      );
    }
  }
  if (!isObj(data) || !isObj(data['metrics']))
    throw new Error(`${source} is not a k6 summary: it has no "metrics" object`);
  const metrics = data['metrics'];
  // handleSummary nests each metric's figures under "values"; the legacy export has them at the top.
  const handle = Object.values(metrics).some((m) => isObj(m) && isObj(m['values']));
  const values = (name: string): Obj | undefined => {
    const m = metrics[name];
    if (!isObj(m)) return undefined;
    return handle ? (isObj(m['values']) ? m['values'] : undefined) : m;
  };

  const durationMs: Record<string, number> = {};
  for (const [k, v] of Object.entries(values('http_req_duration') ?? {})) {
    const n = num(v);
    if (n !== undefined) durationMs[k] = n;
  }

  const thresholds: K6Summary['thresholds'] = [];
  for (const [metric, m] of Object.entries(metrics)) {
    if (!isObj(m) || !isObj(m['thresholds'])) continue;
    for (const [expression, t] of Object.entries(m['thresholds'])) {
      // Legacy: the value is true when the threshold FAILED (k6 documents this as a known oddity).
      const ok = handle ? isObj(t) && t['ok'] === true : t === false;
      thresholds.push({ metric, expression, ok });
    }
  }

  const checks = { passes: 0, fails: 0 };
  sumChecks(data['root_group'], checks);

  const failed = values('http_req_failed');
  const state = data['state'];
  return {
    shape: handle ? 'handle-summary' : 'summary-export',
    requests: num(values('http_reqs')?.['count']),
    requestRate: num(values('http_reqs')?.['rate']),
    droppedIterations: num(values('dropped_iterations')?.['count']) ?? 0,
    failedRequestRate: num(failed?.[handle ? 'rate' : 'value']),
    checks,
    durationMs,
    thresholds,
    testRunDurationMs: isObj(state) ? num(state['testRunDurationMs']) : undefined,
    vusMax: num(values('vus_max')?.['max']),
  };
}

/** The summary a scenario printed to stdout after SUMMARY_STDOUT_MARKER (cluster Jobs: read from pod logs). */
export function extractMarkedSummary(stdout: string): K6Summary | undefined {
  const at = stdout.lastIndexOf(SUMMARY_STDOUT_MARKER);
  if (at === -1) return undefined;
  const start = at + SUMMARY_STDOUT_MARKER.length;
  const end = stdout.indexOf('\n', start);
  return parseK6Summary(stdout.slice(start, end === -1 ? undefined : end), 'k6 summary on stdout');
}
