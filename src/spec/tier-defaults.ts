import { DEFAULT_TIERS } from './defaults.js';
import type { Tier } from './schema.js';

/**
 * Fills a tier the user wrote partially. A tier named like a default tier (low/medium/high) inherits that
 * tier's settings; any other tier gets settings scaled from its rate: enough keep-alive connections that at
 * ~1 ms per request a connection is never the limit (rate/60, clamped 4..256), an in-flight cap of 1 s worth
 * of arrivals (at least 256), so a stall shows up as latency and drops rather than as a silent slowdown.
 */
export function tierDefaults(name: unknown, rps: unknown): Partial<Tier> {
  const known = DEFAULT_TIERS.find((t) => t.name === name);
  if (known) return { ...known };
  const rate = typeof rps === 'number' && rps > 0 ? rps : 100;
  return {
    durationSec: 15,
    warmupSec: 5,
    connections: Math.min(256, Math.max(4, Math.ceil(rate / 60))),
    payloadBytes: 1024,
    protocol: 'http/1.1',
    maxInFlight: Math.max(256, Math.ceil(rate)),
    timeoutMs: 5000,
  };
}
