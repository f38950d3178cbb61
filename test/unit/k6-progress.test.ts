import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadProgress } from '../../src/engines/engine.js';
import { MeasureWindow } from '../../src/engines/k6/measure-window.js';
import { parseK6ProgressLine } from '../../src/engines/k6/progress.js';
import { k6Fixtures } from '../helpers/shared-data.js';

describe('parseK6ProgressLine', () => {
  k6Fixtures.it("reads k6's clock and counts from a real run's stdout", async () => {
    const lines = (await readFile(k6Fixtures.file('ok-200rps', 'stdout.txt'), 'utf8')).split('\n');
    const parsed = lines.map(parseK6ProgressLine).filter((p) => p !== undefined);
    expect(parsed.map((p) => p.elapsedSec)).toEqual([1, 2, 3, 4, 5, 6, 6]);
    expect(parsed.map((p) => p.completed)).toEqual([200, 399, 600, 800, 1000, 1200, 1202]);
    expect(parsed[2]).toEqual({ elapsedSec: 3, activeVUs: 1, completed: 600, interrupted: 0 });
  });

  it.each([
    [
      'running (1m05.3s), 10/20 VUs, 13000 complete and 2 interrupted iterations',
      { elapsedSec: 65.3, activeVUs: 10, completed: 13000, interrupted: 2 },
    ],
    [
      'running (2h00m01.0s), 0/1 VUs, 5 complete and 0 interrupted iterations',
      { elapsedSec: 7201, activeVUs: 0, completed: 5, interrupted: 0 },
    ],
    ['measure   [  20% ] 00/10 VUs  1.0s/5s  200.00 iters/s', undefined],
    ['', undefined],
  ])('%s', (line, want) => {
    expect(parseK6ProgressLine(line)).toEqual(want);
  });
});

describe('MeasureWindow', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const line = (elapsedSec: number, completed = 0) => ({
    elapsedSec,
    activeVUs: 1,
    completed,
    interrupted: 0,
  });

  it("opens and closes on k6's clock, re-anchored by its progress lines", () => {
    const events: string[] = [];
    const w = new MeasureWindow(5, 5, {
      onMeasureStart: () => events.push(`start@${Date.now()}`),
      onMeasureEnd: () => events.push(`end@${Date.now()}`),
    });
    const t0 = Date.now();
    // k6 spends 1.5 s initialising VUs before its clock starts; its first line comes 1 s after that.
    vi.advanceTimersByTime(2500);
    w.observe(line(1)); // so the test started at t0 + 1.5 s
    vi.advanceTimersByTime(2500);
    expect(events).toEqual([]); // not at t0 + 5 s, as the spawn-time guess would have had it
    vi.advanceTimersByTime(1500);
    expect(events).toEqual([`start@${t0 + 6500}`]);
    vi.advanceTimersByTime(5000);
    expect(events).toEqual([`start@${t0 + 6500}`, `end@${t0 + 11500}`]);
    w.finish();
    expect(events).toHaveLength(2); // exactly once each
  });

  it('takes the earliest estimate: a line that arrives late does not move the window', () => {
    const starts: number[] = [];
    const w = new MeasureWindow(3, 1, { onMeasureStart: () => starts.push(Date.now()) });
    const t0 = Date.now();
    vi.advanceTimersByTime(1000);
    w.observe(line(1)); // k6 started at t0
    vi.advanceTimersByTime(1400);
    w.observe(line(2)); // 400 ms late through the pipe: would say t0 + 400
    vi.advanceTimersByTime(600);
    expect(starts).toEqual([t0 + 3000]);
    w.cancel();
  });

  it('closes the window when k6 exits early, start before end, and reports progress by phase', () => {
    const events: string[] = [];
    const progress: LoadProgress[] = [];
    const w = new MeasureWindow(1, 5, {
      onMeasureStart: () => events.push('start'),
      onMeasureEnd: () => events.push('end'),
      onProgress: (p) => progress.push(p),
    });
    w.observe(line(0.5, 100));
    w.observe(line(3, 600));
    w.finish();
    expect(events).toEqual(['start', 'end']);
    expect(progress).toEqual([
      { phase: 'warmup', elapsedSec: 0.5, phaseSec: 1, sent: 101, completed: 100 },
      { phase: 'measure', elapsedSec: 2, phaseSec: 5, sent: 601, completed: 600 },
    ]);
  });

  it('on failure before the window opened, calls neither hook; a throwing hook is kept, not thrown from a timer', () => {
    const events: string[] = [];
    const early = new MeasureWindow(10, 5, {
      onMeasureStart: () => events.push('start'),
      onMeasureEnd: () => events.push('end'),
    });
    early.cancel();
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual([]);

    const boom = new Error('sampler failed');
    const w = new MeasureWindow(0, 1, {
      onMeasureStart: () => {
        throw boom;
      },
    });
    expect(() => vi.advanceTimersByTime(2000)).not.toThrow();
    expect(w.hookError).toBe(boom);
  });
});
