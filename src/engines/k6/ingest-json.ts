import { PHASE_TAG, WARMUP_PHASE, WARMUP_SCENARIO } from './env-keys.js';
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
        if (
          !text.startsWith('http_req_duration"', at) &&
          !text.startsWith('dropped_iterations"', at) &&
          !text.startsWith('checks"', at)
        )
          return;
      } else if (text.startsWith('{"type":"Metric"', start)) {
        return;
      }
      const line = text.slice(start, end);
      if (
        !line.includes('"http_req_duration"') &&
        !line.includes('"dropped_iterations"') &&
        !line.includes('"checks"')
      )
        return;
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
      if (name === 'http_req_duration')
        tally.addRequest(
          value,
          Number(tag(tags, 'status')) || 0,
          Number(tag(tags, 'error_code')) || 0,
          warmup,
        );
      else if (name === 'dropped_iterations') tally.addDropped(value, warmup);
      else if (name === 'checks') tally.addCheck(value !== 0, warmup);
    },
    finish() {
      if (!sawAnything) throw new Error(`k6 output ${path} is empty (k6 wrote nothing before it stopped)`);
    },
  };
}
