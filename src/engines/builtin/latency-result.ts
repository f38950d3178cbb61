import type { ErrorKind, LatencyResult } from '../../results/schema.js';
import type { Tier } from '../../spec/schema.js';
import { encodeHistogram, mergeEncoded } from '../../stats/histogram.js';
import type { WorkerResult } from './protocol.js';

function addCounts<K extends string>(
  into: Partial<Record<K, number>>,
  from: Partial<Record<K, number>>,
): void {
  for (const [k, v] of Object.entries(from) as [K, number | undefined][]) {
    if (v) into[k] = (into[k] ?? 0) + v;
  }
}

/**
 * Combines the workers' windows into the engine's result: histograms merged (never percentiles averaged),
 * counts summed. The measure window lasts tier.durationSec, or longer when the generator issued the window's
 * arrivals late, so that achievedRps shows a generator that could not keep up instead of hiding it.
 */
export function toLatencyResult(
  parts: readonly WorkerResult[],
  tier: Pick<Tier, 'rps' | 'durationSec'>,
): LatencyResult {
  if (parts.length === 0) throw new RangeError('no worker results to combine');
  const byStatus: Record<string, number> = {};
  const byKind: Partial<Record<ErrorKind, number>> = {};
  let requests = 0;
  let ok = 0;
  let dropped = 0;
  let spanMs = tier.durationSec * 1000;
  for (const p of parts) {
    requests += p.requests;
    ok += p.ok;
    dropped += p.dropped;
    addCounts(byStatus, p.byStatus);
    addCounts(byKind, p.byKind);
    spanMs = Math.max(spanMs, p.issueSpanMs);
  }
  const measureSeconds = spanMs / 1000;
  return {
    histogram: encodeHistogram(mergeEncoded(parts.map((p) => p.histogram))),
    serviceHistogram: encodeHistogram(mergeEncoded(parts.map((p) => p.serviceHistogram))),
    coordinatedOmissionCorrected: true,
    requests,
    ok,
    errors: { byStatus, byKind },
    dropped,
    targetRps: tier.rps,
    achievedRps: requests / measureSeconds,
    measureSeconds,
  };
}
