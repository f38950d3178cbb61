import { describe, expect, it } from 'vitest';
import {
  formatCpuList,
  parseCpuList,
  pinnedPrefix,
  planPinning,
} from '../../src/platforms/local/cpu-pinning.js';

describe('CPU lists', () => {
  it.each([
    ['0', [0]],
    ['0-1', [0, 1]],
    ['0-3,6,8-9', [0, 1, 2, 3, 6, 8, 9]],
    ['1\n', [1]],
  ])('parses %j', (list, want) => {
    expect(parseCpuList(list)).toEqual(want);
  });

  it('refuses what is not a CPU list', () => {
    expect(() => parseCpuList('0-a')).toThrow(/not a CPU list/);
  });

  it('formats for taskset -c', () => {
    expect(formatCpuList([1, 2, 3])).toBe('1,2,3');
    expect(pinnedPrefix([1])).toEqual(['taskset', '-c', '1']);
    expect(pinnedPrefix(undefined)).toEqual([]);
  });
});

describe('planPinning', () => {
  it('puts the builtin engine on the lowest allowed CPU and the servers on the rest', () => {
    expect(planPinning('auto', [3, 1, 2], 'builtin', true)).toEqual({
      pinned: true,
      engineCpus: [1],
      serverCpus: [2, 3],
    });
    expect(planPinning('auto', [0, 1], 'builtin', true)).toEqual({
      pinned: true,
      engineCpus: [0],
      serverCpus: [1],
    });
  });

  it.each([
    ['off', [0, 1], 'builtin', true, /off in the spec/],
    ['auto', [0, 1], 'k6', true, /k6 uses every core/],
    ['auto', [0], 'builtin', true, /only 1 CPU/],
    ['auto', [0, 1], 'builtin', false, /taskset/],
  ] as const)('does not pin: %s, %j, %s, taskset %s', (setting, cpus, engine, taskset, why) => {
    const p = planPinning(setting, cpus, engine, taskset);
    expect(p.pinned).toBe(false);
    if (!p.pinned) expect(p.reason).toMatch(why);
  });
});
