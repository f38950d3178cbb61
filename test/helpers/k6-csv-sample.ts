/**
 * A k6 CSV output written by this project, in the format k6 v0.48's `--out csv` writes (its column list and the
 * way it puts custom tags in `extra_tags`), for tests that need k6's output format but not a recorded run: they
 * then also run in a fresh clone without shared/ beside it. Known answers come from the input, not from k6.
 */
export const K6_CSV_HEADER =
  'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';

export interface SampleRequest {
  phase: 'warmup' | 'measure';
  /** http_req_duration, ms. */
  ms: number;
  /** HTTP status; 0 for a connection error. */
  status?: number;
  /** k6's error_code for a failed request (1212 connection refused, 1500 HTTP 500, ...). */
  errorCode?: number;
  /** Whole Unix seconds, as k6 writes them. */
  second?: number;
}

export interface Sample {
  requests: SampleRequest[];
  /** dropped_iterations rows per phase. */
  dropped?: { warmup?: number; measure?: number };
  tags?: Record<string, string>;
}

const URL_ = 'http://127.0.0.1:18091/';

/** The CSV text. Every request gets the rows k6 writes for it, in k6's order, so ingest must skip the others. */
export function k6CsvSample(s: Sample): string {
  const lines = [K6_CSV_HEADER];
  const tags = Object.entries(s.tags ?? { mode: 'baseline', tier: 'low', rep: '1' })
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  for (const r of s.requests) {
    const status = r.status ?? 200;
    const expected = status >= 200 && status < 400;
    const at = r.second ?? 1795300920;
    const extra = `${tags}&phase=${r.phase}`;
    const row = (metric: string, value: number): string =>
      [
        metric,
        at,
        value.toFixed(6),
        '',
        r.errorCode ? 'request failed' : '',
        r.errorCode ?? '',
        expected,
        '',
        'GET',
        URL_,
        status ? 'HTTP/1.1' : '',
        r.phase,
        '',
        status,
        '',
        '',
        URL_,
        extra,
        '',
      ].join(',');
    lines.push(
      row('http_reqs', 1),
      row('http_req_duration', r.ms),
      row('http_req_blocked', 0.002),
      row('http_req_waiting', r.ms * 0.9),
      row('http_req_failed', expected ? 0 : 1),
      row('iteration_duration', r.ms + 0.05),
      row('iterations', 1),
    );
  }
  for (const phase of ['warmup', 'measure'] as const)
    for (let i = 0; i < (s.dropped?.[phase] ?? 0); i++)
      lines.push(`dropped_iterations,1795300930,1.000000,,,,,,,,,${phase},,,,,,,`);
  return `${lines.join('\n')}\n`;
}

/**
 * A run of `measure` requests (plus `warmup` ones) with durations spread evenly over [minMs, maxMs]: the
 * percentiles are then known from the input alone.
 */
export function evenSample(o: {
  warmup: number;
  measure: number;
  minMs: number;
  maxMs: number;
  dropped?: number;
}): Sample {
  const spread = (n: number, phase: 'warmup' | 'measure'): SampleRequest[] =>
    Array.from({ length: n }, (_, i) => ({
      phase,
      ms: n === 1 ? o.minMs : o.minMs + ((o.maxMs - o.minMs) * i) / (n - 1),
      second: 1795300920 + Math.floor(i / 100),
    }));
  return {
    requests: [...spread(o.warmup, 'warmup'), ...spread(o.measure, 'measure')],
    dropped: { measure: o.dropped ?? 0 },
  };
}

/** One row of any metric, for samples of what the scenario writes beyond HTTP keep-alive (gRPC, churn). */
export interface SampleRow {
  metric: string;
  ms: number;
  phase: 'warmup' | 'measure';
  /** The `status` column: an HTTP status, or for grpc_req_duration the gRPC status code. */
  status?: string;
  code?: string;
}

/** k6 v0.48 CSV of the given rows, custom tags and phase in `extra_tags`, the phase also as `scenario`. */
export function k6CsvRows(rows: SampleRow[]): string {
  const cells = (r: SampleRow): string =>
    [
      r.metric,
      1795300920,
      r.ms.toFixed(6),
      '',
      '',
      r.code ?? '',
      '',
      '',
      '',
      '',
      '',
      r.phase,
      '',
      r.status ?? '',
      '',
      '',
      '',
      `mode=baseline&tier=t&phase=${r.phase}`,
      '',
    ].join(',');
  return `${[K6_CSV_HEADER, ...rows.map(cells)].join('\n')}\n`;
}

/**
 * A gRPC tier's rows. Measure: 3 OK calls (1, 2, 3 ms), one INTERNAL (13) at 4 ms, one DEADLINE_EXCEEDED at
 * 1000.5 ms, one UNAVAILABLE, two connect failures; the warm-up's rows are left out.
 */
export const GRPC_SAMPLE_ROWS: SampleRow[] = [
  { metric: 'grpc_req_duration', ms: 9, phase: 'warmup', status: '0' },
  { metric: 'meshbench_grpc_connect_failures', ms: 1, phase: 'warmup' },
  { metric: 'grpc_req_duration', ms: 1, phase: 'measure', status: '0' },
  { metric: 'grpc_req_duration', ms: 2, phase: 'measure', status: '0' },
  { metric: 'grpc_req_duration', ms: 3, phase: 'measure', status: '0' },
  { metric: 'grpc_req_duration', ms: 4, phase: 'measure', status: '13' },
  { metric: 'grpc_req_duration', ms: 1000.5, phase: 'measure', status: '4' },
  { metric: 'grpc_req_duration', ms: 0.2, phase: 'measure', status: '14' },
  { metric: 'meshbench_grpc_connect_failures', ms: 2, phase: 'measure' },
  { metric: 'iteration_duration', ms: 5, phase: 'measure' },
];

/**
 * A churn tier's rows: per request http_req_duration (set-up excluded) and the scenario's meshbench_req_duration
 * (set-up included). Measure: 200 at 1.5 and 3 ms with set-up, one refused.
 */
export const CHURN_SAMPLE_ROWS: SampleRow[] = [
  // k6 writes an http_reqs row per request too (the cluster's reducer counts outcomes from it).
  { metric: 'http_reqs', ms: 1, phase: 'measure', status: '200' },
  { metric: 'http_reqs', ms: 1, phase: 'measure', status: '200' },
  { metric: 'http_reqs', ms: 1, phase: 'measure', status: '0', code: '1212' },
  { metric: 'http_reqs', ms: 1, phase: 'warmup', status: '200' },
  { metric: 'http_req_duration', ms: 1, phase: 'measure', status: '200', code: '' },
  { metric: 'meshbench_req_duration', ms: 1.5, phase: 'measure', status: '200', code: '0' },
  { metric: 'http_req_duration', ms: 2, phase: 'measure', status: '200' },
  { metric: 'meshbench_req_duration', ms: 3, phase: 'measure', status: '200', code: '0' },
  { metric: 'http_req_duration', ms: 0.1, phase: 'measure', status: '0', code: '1212' },
  { metric: 'meshbench_req_duration', ms: 0.3, phase: 'measure', status: '0', code: '1212' },
  { metric: 'http_req_duration', ms: 0.5, phase: 'warmup', status: '200' },
  { metric: 'meshbench_req_duration', ms: 7, phase: 'warmup', status: '200', code: '0' },
];
