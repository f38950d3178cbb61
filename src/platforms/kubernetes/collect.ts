import { z } from 'zod';
import { errorKindForK6Code } from '../../engines/k6/error-codes.js';
import { grpcOutcome, grpcStatusKey, latencyMicros } from '../../engines/k6/tally.js';
import type { K6VuSizing } from '../../engines/k6/vu-sizing.js';
import type { ErrorKind, K6LoadFigures, LatencyResult } from '../../results/schema.js';
import type { Tier } from '../../spec/schema.js';
import { createHistogram, encodeHistogram, HISTOGRAM_CONFIG } from '../../stats/histogram.js';
import { RESULT_MARKER } from './k6-reduce.js';

/** One load pod's reduced k6 output (see k6-reduce.ts for how the pod builds it). */
const reducedSchema = z.object({
  v: z.literal(1),
  exit: z.number().int(),
  missing: z.boolean().optional(),
  rowsAll: z.number().int().min(0).default(0),
  requests: z.number().min(0).default(0),
  durations: z.number().int().min(0).default(0),
  dropped: z.number().min(0).default(0),
  /** vus_max at its highest in this pod (absent from reducers before issue 13). */
  vusMax: z.number().min(0).optional(),
  /** The k6 container's CPU over k6's run: microseconds used, centiseconds elapsed, its CPU limit in cores. */
  cpu: z
    .object({ usec: z.number().min(0), wallCs: z.number().positive(), cores: z.number().positive() })
    .optional(),
  buckets: z.record(z.string().regex(/^[0-9]+$/), z.number().int().min(0)).default({}),
  failed: z.record(z.string().regex(/^[0-9]*\|[0-9]+$/), z.number().int().min(0)).default({}),
  outcomes: z.record(z.string(), z.number().min(0)).default({}),
  /** gRPC tiers: "gRPC status|microseconds" -> calls (k6-reduce.ts). */
  grpc: z.record(z.string().regex(/^[0-9]+\|[0-9]+$/), z.number().int().min(0)).optional(),
  /** gRPC tiers: calls that never went out because the connection could not be opened. */
  connectFailures: z.number().min(0).optional(),
});
export type ReducedK6 = z.infer<typeof reducedSchema>;

/** The marker line of a load pod's log (the last one, should k6 print the marker in its own output too). */
export function parseReducedLog(log: string): ReducedK6 {
  const lines = log.split('\n').filter((l) => l.includes(RESULT_MARKER));
  const last = lines.at(-1);
  if (last === undefined)
    throw new Error(
      `the load pod's log has no ${RESULT_MARKER} line: the pod ended before k6's output was reduced`,
    );
  const json = last.slice(last.indexOf(RESULT_MARKER) + RESULT_MARKER.length).trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`the load pod's ${RESULT_MARKER} line is not JSON (cut short?): ${json.slice(0, 120)}`);
  }
  const r = reducedSchema.safeParse(parsed);
  if (!r.success)
    throw new Error(`the load pod's ${RESULT_MARKER} line is malformed: ${r.error.issues[0]?.message ?? ''}`);
  if (r.data.missing)
    throw new Error(
      'k6 wrote no output (it failed before the test started; see the k6 log above the marker)',
    );
  return r.data;
}

/** recordValueWithCount does not clamp; recordMicros (used for single values) does the same range check. */
function clampMicros(us: number): number {
  return Math.min(
    HISTOGRAM_CONFIG.highestTrackableValue,
    Math.max(HISTOGRAM_CONFIG.lowestDiscernibleValue, Math.round(us)),
  );
}

/**
 * Merges the reduced output of every load pod of one cell into a LatencyResult. Histograms are merged by
 * adding bucket counts: the only correct way to combine latency distributions across load generators.
 * Counting follows the local k6 ingest (src/engines/k6/tally.ts): byStatus holds every non-2xx/3xx status
 * ("0" for no response), byKind sorts the no-response ones by k6 error code. k6's http_req_duration is
 * timed from the actual send, not the intended one: not corrected for coordinated omission (dropped
 * iterations are reported instead).
 */
/**
 * What k6 had to work with over every load pod (see src/engines/k6/diagnosis.ts): the VUs meshbench gave it, the
 * pods' vus_max added up, and their CPU added up against their limits added up (when every pod reported it).
 */
export function clusterK6Figures(parts: ReducedK6[], vus: K6VuSizing): K6LoadFigures {
  const figures: K6LoadFigures = { preAllocatedVUs: vus.preAllocatedVUs, maxVUs: vus.maxVUs };
  if (parts.length > 0 && parts.every((p) => p.vusMax !== undefined && p.vusMax > 0))
    figures.vusMax = parts.reduce((s, p) => s + (p.vusMax ?? 0), 0);
  const cpus = parts.flatMap((p) => (p.cpu ? [p.cpu] : []));
  if (parts.length > 0 && cpus.length === parts.length)
    figures.cpu = {
      span: 'k6-run',
      seconds: Math.max(...cpus.map((c) => c.wallCs / 100)),
      k6CpuSeconds: cpus.reduce((s, c) => s + c.usec / 1e6, 0),
      cores: cpus.reduce((s, c) => s + c.cores, 0),
    };
  return figures;
}

export function latencyFromReduced(parts: ReducedK6[], tier: Tier, vus?: K6VuSizing): LatencyResult {
  if (parts.length === 0) throw new Error('no load pod reported a result');
  const h = createHistogram();
  let requests = 0;
  let ok = 0;
  let dropped = 0;
  const byStatus: Record<string, number> = {};
  const byKind: Partial<Record<ErrorKind, number>> = {};
  for (const p of parts) {
    if (p.rowsAll > 0 && p.requests === 0) {
      throw new Error(
        'k6 reported requests but none in the measure window: the scenario must name its measure scenario `measure` or tag it phase=measure',
      );
    }
    for (const [us, count] of Object.entries(p.buckets))
      h.recordValueWithCount(clampMicros(Number(us)), count);
    // Requests without a response, by k6 error code: the k6 engine's own rule decides what they contribute.
    for (const [key, count] of Object.entries(p.failed)) {
      const [code = '', us = '0'] = key.split('|');
      const v = latencyMicros(Number(us) / 1000, 0, Number(code), tier.timeoutMs);
      if (v !== undefined) h.recordValueWithCount(clampMicros(v), count);
    }
    // gRPC calls: counted and recorded by the k6 engine's own rule (grpcOutcome), as the local ingest does.
    for (const [key, count] of Object.entries(p.grpc ?? {})) {
      const [code = '0', us = '0'] = key.split('|');
      const o = grpcOutcome(Number(us) / 1000, Number(code), tier.timeoutMs);
      requests += count;
      if (o.ok) ok += count;
      else {
        const k = grpcStatusKey(Number(code));
        byStatus[k] = (byStatus[k] ?? 0) + count;
        if (o.kind !== undefined) byKind[o.kind] = (byKind[o.kind] ?? 0) + count;
      }
      if (o.micros !== undefined) h.recordValueWithCount(clampMicros(o.micros), count);
    }
    const failures = p.connectFailures ?? 0;
    if (failures > 0) {
      requests += failures;
      byStatus['0'] = (byStatus['0'] ?? 0) + failures;
      byKind.refused = (byKind.refused ?? 0) + failures;
    }
    dropped += p.dropped;
    for (const [key, count] of Object.entries(p.outcomes)) {
      const [status = '', code = ''] = key.split('|');
      const s = Number(status) || 0;
      requests += count;
      if (s >= 200 && s < 400) {
        ok += count;
        continue;
      }
      byStatus[String(s)] = (byStatus[String(s)] ?? 0) + count;
      if (s === 0) {
        const kind = errorKindForK6Code(Number(code));
        byKind[kind] = (byKind[kind] ?? 0) + count;
      }
    }
  }
  const measureSeconds = tier.durationSec;
  return {
    histogram: encodeHistogram(h),
    coordinatedOmissionCorrected: false,
    requests,
    ok,
    errors: { byStatus, byKind },
    dropped,
    targetRps: tier.rps,
    achievedRps: requests / measureSeconds,
    measureSeconds,
    ...(vus ? { k6: clusterK6Figures(parts, vus) } : {}),
  };
}
