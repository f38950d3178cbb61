import {
  GRPC_CONNECT_FAILURE_METRIC,
  PHASE_TAG,
  WARMUP_PHASE,
  WARMUP_SCENARIO,
  WITH_CONNECT_METRIC,
} from './env-keys.js';

/** The metrics ingest reads; every other line is skipped before JSON.parse. */
const READ = [
  'http_req_duration',
  'dropped_iterations',
  'checks',
  'grpc_req_duration',
  WITH_CONNECT_METRIC,
  GRPC_CONNECT_FAILURE_METRIC,
];
import type { LineSink } from './line-reader.js';
import type { K6Tally } from './tally.js';

interface K6JsonPoint {
  type?: unknown;
  metric?: unknown;
  data?: { value?: unknown; tags?: Record<string, unknown> | null };
}

function tag(tags: Record<string, unknown> | null | undefined, name: string): string {
  const v = tags?.[name];
  return typeof v === 'string' ? v : '';
}

/**
 * Feeds k6 JSON-lines output (`--out json=...`) into a tally. Each line is one JSON object: a "Metric" declaration
 * or a "Point" sample. Lines of other metrics are skipped by a substring test before any JSON.parse.
 */
export function createJsonLineHandler(
  tally: K6Tally,
  path: string,
): { onLine: LineSink; finish: () => void } {
  let sawAnything = false;
  return {
    onLine(text, start, end, lineNo) {
      if (end === start) return;
      sawAnything = true;
      // k6 (Go's encoding/json) writes a point's keys in struct order, `{"metric":"<name>","type":"Point",...`, and
      // declarations as `{"type":"Metric",...`: rows of other metrics are rejected in place. Any other layout
      // falls through to the general test below.
      if (text.startsWith('{"metric":"', start)) {
        const at = start + 11;
        if (!READ.some((m) => text.startsWith(`${m}"`, at))) return;
      } else if (text.startsWith('{"type":"Metric"', start)) {
        return;
      }
      const line = text.slice(start, end);
      if (!READ.some((m) => line.includes(`"${m}"`))) return;
      let obj: K6JsonPoint;
      try {
        obj = JSON.parse(line) as K6JsonPoint;
      } catch (e) {
        throw new Error(`${path} line ${lineNo}: not a JSON object (${(e as Error).message})`);
      }
      if (obj.type !== 'Point') return;
      const name = obj.metric;
      const value = obj.data?.value;
      if (typeof value !== 'number')
        throw new Error(`${path} line ${lineNo}: a ${String(name)} point without a numeric value`);
      const tags = obj.data?.tags;
      const warmup = tag(tags, 'scenario') === WARMUP_SCENARIO || tag(tags, PHASE_TAG) === WARMUP_PHASE;
      const status = Number(tag(tags, 'status')) || 0;
      const code = Number(tag(tags, 'error_code')) || 0;
      if (name === 'http_req_duration') tally.addRequest(value, status, code, warmup);
      else if (name === WITH_CONNECT_METRIC) tally.addWithConnect(value, status, code, warmup);
      else if (name === 'grpc_req_duration') tally.addGrpcCall(value, status, warmup);
      else if (name === GRPC_CONNECT_FAILURE_METRIC) tally.addGrpcConnectFailures(value, warmup);
      else if (name === 'dropped_iterations') tally.addDropped(value, warmup);
      else if (name === 'checks') tally.addCheck(value !== 0, warmup);
    },
    finish() {
      if (!sawAnything) throw new Error(`k6 output ${path} is empty (k6 wrote nothing before it stopped)`);
    },
  };
}
