import type { EncodedHistogram, Histogram } from '../stats/histogram.js';
import { createHistogram, decodeHistogram, HISTOGRAM_CONFIG } from '../stats/histogram.js';
import { errorMessage } from '../errors.js';
import type { CellResult, ResultsFile } from './schema.js';

/**
 * Checks of a results file for meaning, after its shape passed validate.ts: what every stage after a run
 * takes for granted, so that a hand-edited or damaged file is refused with the cell named (exit 2) instead of
 * being reported as fact ("∞ rps", "$NaN.00", "+1000005825461 ms") or failing deep inside a decoder.
 *
 * - Every number is finite. JSON has no Infinity, but `1e999` parses as one.
 * - Cells are unique per (mode, tier, repetition), and name a mode, tier and repetition of the run's spec.
 * - A cell's counts agree: ok <= requests, measureSeconds > 0.
 * - Its histograms decode; hold no value above the histogram's trackable range of 1 hour (every producer clamps
 *   there, stats/histogram.ts: no request of a cell can take longer, tiers time out within 10 minutes); and hold
 *   as many values as the counts allow: at least one per ok request (every answered request is recorded) and
 *   at most one per request (failures without a response are not recorded).
 */

/** The largest value a histogram can report: the trackable maximum's bucket (3 significant digits). */
const MAX_VALUE_US = (() => {
  const h = createHistogram();
  h.recordValue(HISTOGRAM_CONFIG.highestTrackableValue);
  return h.maxValue;
})();

/** Paths of non-finite numbers anywhere in a parsed JSON value, e.g. "cells[2].latency.achievedRps". */
export function nonFiniteNumbers(value: unknown, path = '', out: string[] = []): string[] {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${path || '(file)'}: ${String(value)} is not a finite number`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nonFiniteNumbers(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) nonFiniteNumbers(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

function cellName(c: CellResult, i: number): string {
  return `cells[${i}] (${c.mode} / ${c.tier} / repetition ${c.repetition})`;
}

function histogramProblems(
  at: string,
  which: string,
  encoded: EncodedHistogram,
  counts: { min: number; max: number },
): string[] {
  let h: Histogram;
  try {
    h = decodeHistogram(encoded);
  } catch (e) {
    return [`${at}: ${which} is not a valid HDR histogram (${errorMessage(e)})`];
  }
  const problems: string[] = [];
  if (h.maxValue > MAX_VALUE_US)
    problems.push(
      `${at}: ${which} holds a value of ${h.maxValue} us (${(h.maxValue / 3.6e9).toPrecision(3)} hours), above the 1-hour maximum any engine records`,
    );
  const n = h.totalCount;
  if (n < counts.min || n > counts.max)
    problems.push(
      `${at}: ${which} holds ${n} values, but the cell counts ${counts.max} requests of which ${counts.min} ok ` +
        `(a histogram holds between one value per ok request and one per request)`,
    );
  return problems;
}

/** Problems of meaning in a results file whose shape is valid; empty when there is none. */
export function plausibilityProblems(r: ResultsFile): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const tiers = new Set(r.spec.tiers.map((t) => t.name));
  r.cells.forEach((c, i) => {
    const at = cellName(c, i);
    const key = `${c.mode}\u0000${c.tier}\u0000${c.repetition}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${at}: the same cell as cells[${first}] (cells must be unique)`);
    else seen.set(key, i);
    if (!r.spec.modes.includes(c.mode)) problems.push(`${at}: mode ${c.mode} is not in the run's spec`);
    if (!tiers.has(c.tier)) problems.push(`${at}: tier '${c.tier}' is not a tier of the run's spec`);
    if (c.repetition > r.spec.repetitions)
      problems.push(`${at}: repetition ${c.repetition} of a run of ${r.spec.repetitions}`);
    const l = c.latency;
    if (!l) return;
    if (l.ok > l.requests) problems.push(`${at}: ${l.ok} ok requests of ${l.requests} requests`);
    if (!(l.measureSeconds > 0)) problems.push(`${at}: measureSeconds is ${l.measureSeconds}, must be > 0`);
    problems.push(
      ...histogramProblems(at, 'the latency histogram', l.histogram, { min: l.ok, max: l.requests }),
    );
    if (l.serviceHistogram)
      problems.push(
        ...histogramProblems(at, 'the service-time histogram', l.serviceHistogram, {
          min: 0,
          max: l.requests,
        }),
      );
  });
  return problems;
}
