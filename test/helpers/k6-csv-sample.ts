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
