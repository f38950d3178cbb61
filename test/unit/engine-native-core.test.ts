import { describe, expect, it } from 'vitest';
import { loadPlanFor } from '../../src/engines/builtin/index.js';
import { histogramsFromRecords, nativeArgs } from '../../src/engines/builtin/native-core.js';
import { planArrivals } from '../../src/engines/builtin/arrival-schedule.js';
import type { Tier } from '../../src/spec/schema.js';
import { decodeHistogram, percentileMicros } from '../../src/stats/histogram.js';

const tier: Tier = {
  name: 't',
  rps: 300,
  durationSec: 2,
  warmupSec: 0.5,
  connections: 5,
  payloadBytes: 64,
  protocol: 'http/1.1',
  maxInFlight: 100,
  timeoutMs: 1500,
};

/** The value after `flag` in an argv, and every value group after a repeated 5-value `--pool`. */
const after = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];
const pools = (args: string[]): string[][] =>
  args.flatMap((a, i) => (a === '--pool' ? [args.slice(i + 1, i + 6)] : []));

describe('nativeArgs', () => {
  it('passes the schedule the JavaScript core would use, so both count the same arrivals', () => {
    const plan = loadPlanFor({ endpoints: ['http://127.0.0.1:8080/base/'], protocol: 'http/1.1' }, tier);
    const args = nativeArgs(plan) as string[];
    const s = planArrivals(300, 0.5, 2);
    expect(after(args, '--first')).toBe(String(s.firstMeasured));
    expect(after(args, '--end')).toBe(String(s.endMeasured));
    expect(after(args, '--warmup-ms')).toBe('500');
    expect(after(args, '--duration-ms')).toBe('2000');
    expect(after(args, '--max-in-flight')).toBe('100');
    expect(after(args, '--timeout-ms')).toBe('1500');
    expect(pools(args)).toEqual([['127.0.0.1', '8080', '5', '127.0.0.1:8080', '/base/?size=64']]);
  });

  it('spreads connections over endpoints as the JavaScript core does, and maps localhost to 127.0.0.1', () => {
    const plan = loadPlanFor(
      {
        endpoints: ['http://localhost:1/', 'http://127.0.0.1:2/', 'http://127.0.0.1:3/'],
        protocol: 'http/1.1',
      },
      tier,
    );
    expect(pools(nativeArgs(plan) as string[]).map((p) => [p[0], p[1], p[2]])).toEqual([
      ['127.0.0.1', '1', '2'],
      ['127.0.0.1', '2', '2'],
      ['127.0.0.1', '3', '1'],
    ]);
  });

  it('passes requestsPerConnection only when the tier sets it (absent: keep-alive)', () => {
    const target = { endpoints: ['http://127.0.0.1:8080/'], protocol: 'http/1.1' as const };
    expect(nativeArgs(loadPlanFor(target, tier))).not.toContain('--requests-per-connection');
    const churn = nativeArgs(loadPlanFor(target, { ...tier, requestsPerConnection: 1 })) as string[];
    expect(after(churn, '--requests-per-connection')).toBe('1');
  });

  it('refuses a tier sent to a target of another protocol', () => {
    expect(() =>
      loadPlanFor(
        { endpoints: ['http://127.0.0.1:1/'], protocol: 'http/1.1' },
        { ...tier, protocol: 'grpc' },
      ),
    ).toThrow(/tier t speaks grpc, but the target answers http\/1\.1/);
  });

  it('declines a host it cannot connect to by address (the JavaScript core runs those)', () => {
    const plan = loadPlanFor({ endpoints: ['http://[::1]:8080/'], protocol: 'http/1.1' }, tier);
    expect(nativeArgs(plan)).toBeUndefined();
  });
});

describe('histogramsFromRecords', () => {
  it('records latency and service time pairs into HDR histograms, exact below 2048 us', () => {
    const pairs = [
      [100, 90],
      [200, 150],
      [300, 250],
      [1000, 400],
    ];
    const b = Buffer.alloc(pairs.length * 8);
    pairs.forEach(([l, s], k) => {
      b.writeUInt32LE(l as number, 8 * k);
      b.writeUInt32LE(s as number, 8 * k + 4);
    });
    const h = histogramsFromRecords(b, pairs.length);
    const lat = decodeHistogram(h.histogram);
    const svc = decodeHistogram(h.serviceHistogram);
    expect(lat.totalCount).toBe(4);
    expect(percentileMicros(lat, 50)).toBe(200);
    expect(lat.maxValue).toBe(1000);
    expect(percentileMicros(svc, 100)).toBe(400);
  });

  it('refuses records that do not match the count', () => {
    expect(() => histogramsFromRecords(Buffer.alloc(12), 2)).toThrow(/12 record bytes for 2 requests/);
  });
});
