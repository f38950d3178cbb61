import { describe, expect, it } from 'vitest';
import type { OverheadEstimate } from '../../src/analysis/types.js';
import {
  formatCount,
  formatNumber,
  formatSigned,
  formatUsd,
  markdownTable,
  msDecimals,
  withFlags,
} from '../../src/report/shared/format.js';
import { mdCell } from '../../src/report/shared/markdown-escape.js';
import { formatOverhead, formatP } from '../../src/report/run/overhead-tables.js';

function estimate(pointMs: number, ci: [number, number] | null, distinguishable: boolean): OverheadEstimate {
  return {
    pointMs,
    relative: null,
    baselineMs: 1,
    modeMs: 1 + pointMs,
    ci: ci && {
      lowMs: ci[0],
      highMs: ci[1],
      level: 0.95,
      method: 'bootstrap-repetitions-percentile',
      iterations: 2000,
    },
    ciUnavailable: ci ? null : 'single-repetition',
    distinguishable,
    test: null,
  };
}

describe('report number formatting', () => {
  it.each([
    [estimate(0.42, [0.31, 0.55], true), '+0.42 ms (95% CI 0.31\u20130.55)'],
    [estimate(0.03, [-0.05, 0.12], false), 'not distinguishable from noise (95% CI \u22120.05\u20130.12 ms)'],
    [estimate(0.042, [0.031, 0.055], true), '+0.042 ms (95% CI 0.031\u20130.055)'],
    [estimate(-1.5, [-2.25, -0.75], true), '\u22121.50 ms (95% CI \u22122.25\u2013\u22120.75)'],
    [estimate(12.34, [11, 13.7], true), '+12.3 ms (95% CI 11.0\u201313.7)'],
    [estimate(0.5, null, false), '+0.50 ms (no CI: single repetition)'],
  ])('formatOverhead %#', (e, expected) => {
    expect(formatOverhead(e)).toBe(expected);
  });

  it('numbers, signs, dollars and counts', () => {
    expect(formatNumber(-0.0001, 2)).toBe('0.00'); // never "-0.00"
    expect(formatNumber(-1.234, 1)).toBe('\u22121.2');
    expect(formatSigned(0, 2)).toBe('0.00');
    expect(formatSigned(0.005, 3)).toBe('+0.005');
    expect(formatUsd(2.500916125)).toBe('$2.50');
    expect(formatUsd(250.0916125)).toBe('$250.09');
    expect(formatUsd(1234567.891)).toBe('$1,234,567.89');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatP(0.0004)).toBe('<0.001');
    expect(formatP(0.10753)).toBe('0.108');
    expect([msDecimals(0.05), msDecimals(0.5), msDecimals(50), msDecimals(500)]).toEqual([3, 2, 1, 0]);
  });

  it('tables escape pipes and keep flags next to figures', () => {
    expect(mdCell('a|b\nc')).toBe('a\\|b c');
    expect(markdownTable(['x', 'y'], [['1', '2']], ['left', 'right'])).toBe(
      '| x | y |\n| --- | ---: |\n| 1 | 2 |',
    );
    expect(withFlags('+0.42 ms', ['rate-missed', 'dropped'])).toBe('+0.42 ms \u26a0 rate-missed, dropped');
    expect(withFlags('+0.42 ms', [])).toBe('+0.42 ms');
  });
});
