import { hasExtraTag, opensQuotedField, splitCsvRecord } from './csv-record.js';
import {
  GRPC_CONNECT_FAILURE_METRIC,
  PHASE_TAG,
  WARMUP_PHASE,
  WARMUP_SCENARIO,
  WITH_CONNECT_METRIC,
} from './env-keys.js';
import type { LineSink } from './line-reader.js';
import type { K6Tally } from './tally.js';

/** Columns of k6's CSV output this parser reads, found by name in the header (their order may change). */
const COLUMNS = ['metric_name', 'metric_value', 'status', 'error_code', 'scenario', 'extra_tags'] as const;
type Column = (typeof COLUMNS)[number];
/** http_req_duration, dropped_iterations, checks, grpc_req_duration, WITH_CONNECT_METRIC, GRPC_CONNECT_FAILURE_METRIC. */
type Metric = 'd' | 'i' | 'c' | 'g' | 'w' | 'f';

/**
 * Feeds k6 CSV lines (`--out csv=...`) into a tally. Only a few metrics matter, and the metric name is the first
 * column, so every other row is skipped by a prefix test without being split: that is most of the file (k6
 * writes 13 rows per request, one of them http_req_duration).
 */
export function createCsvLineHandler(tally: K6Tally, path: string): { onLine: LineSink; finish: () => void } {
  let index: Record<Column, number> | undefined;
  let width = 0;
  let pending = ''; // a record whose quoted field continues on the next line
  let pendingFrom = 0;

  function header(line: string): void {
    const names = splitCsvRecord(line);
    const found: Partial<Record<Column, number>> = {};
    for (const c of COLUMNS) {
      const i = names.indexOf(c);
      if (i === -1) throw new Error(`${path} is not k6 CSV output: its header lacks the column "${c}"`);
      found[c] = i;
    }
    index = found as Record<Column, number>;
    width = names.length;
  }

  function field(fields: string[], c: Column): string {
    return fields[(index as Record<Column, number>)[c]] ?? '';
  }

  function isWarmup(fields: string[]): boolean {
    return (
      field(fields, 'scenario') === WARMUP_SCENARIO ||
      hasExtraTag(field(fields, 'extra_tags'), PHASE_TAG, WARMUP_PHASE)
    );
  }

  /** Which of the metrics ingest reads a row holds, tested in place; '' for the rows ingest skips. */
  function metricOf(text: string, start: number): Metric | '' {
    const c = text.charCodeAt(start);
    // 'h'ttp_req_duration, 'd'ropped_iterations, 'c'hecks, 'g'rpc_req_duration, 'm'eshbench_*: one character
    // rejects most rows.
    if (c === 104) return text.startsWith('http_req_duration,', start) ? 'd' : '';
    if (c === 100) return text.startsWith('dropped_iterations,', start) ? 'i' : '';
    if (c === 99) return text.startsWith('checks,', start) ? 'c' : '';
    if (c === 103) return text.startsWith('grpc_req_duration,', start) ? 'g' : '';
    if (c === 109) {
      if (text.startsWith(`${WITH_CONNECT_METRIC},`, start)) return 'w';
      if (text.startsWith(`${GRPC_CONNECT_FAILURE_METRIC},`, start)) return 'f';
    }
    return '';
  }

  function record(metric: Metric, text: string, lineNo: number): void {
    let fields: string[];
    try {
      fields = splitCsvRecord(text);
    } catch (e) {
      throw new Error(`${path} line ${lineNo}: malformed CSV record (${(e as Error).message})`);
    }
    if (fields.length !== width)
      throw new Error(`${path} line ${lineNo}: ${fields.length} fields where the header has ${width}`);
    const raw = field(fields, 'metric_value');
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value))
      throw new Error(`${path} line ${lineNo}: metric_value "${raw}" is not a number`);
    const warmup = isWarmup(fields);
    const status = Number(field(fields, 'status')) || 0;
    const code = Number(field(fields, 'error_code')) || 0;
    if (metric === 'd') tally.addRequest(value, status, code, warmup);
    else if (metric === 'w') tally.addWithConnect(value, status, code, warmup);
    else if (metric === 'g') tally.addGrpcCall(value, status, warmup);
    else if (metric === 'f') tally.addGrpcConnectFailures(value, warmup);
    else if (metric === 'i') tally.addDropped(value, warmup);
    else tally.addCheck(value !== 0, warmup);
  }

  return {
    onLine(text, start, end, lineNo) {
      if (index === undefined) {
        const line = text.slice(start, end);
        if (line.trim() !== '') header(line);
        return;
      }
      if (pending !== '') {
        const line = text.slice(start, end);
        pending += '\n' + line;
        // The record stays open unless this line has an odd number of quotes (one of them closes the field).
        if (!opensQuotedField(line)) return;
        const whole = pending;
        pending = '';
        const metric = metricOf(whole, 0);
        if (metric !== '') record(metric, whole, pendingFrom);
        return;
      }
      // Rows ingest skips are not even sliced. Their quoted fields are not followed across lines: a line break
      // inside k6's fields would need an error message spanning lines, and a continuation line would still
      // have to start with one of the three metric names to be misread.
      const metric = metricOf(text, start);
      if (metric === '') return;
      const line = text.slice(start, end);
      if (line.includes('"') && opensQuotedField(line)) {
        pending = line;
        pendingFrom = lineNo;
        return;
      }
      record(metric, line, lineNo);
    },
    finish() {
      if (index === undefined)
        throw new Error(`k6 output ${path} is empty: no CSV header (k6 wrote nothing before it stopped)`);
      if (pending !== '')
        throw new Error(
          `k6 output ${path} is cut short: a quoted field opened at line ${pendingFrom} never closes`,
        );
    },
  };
}
