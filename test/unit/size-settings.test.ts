import { describe, expect, it } from 'vitest';
import { thrownUserError } from '../helpers/user-error.js';
import { parseResults } from '../../src/results/read.js';
import { applyOverrides } from '../../src/size/inputs.js';
import { DEFAULT_SIZING } from '../../src/size/settings.js';
import { resolveSpec } from '../../src/spec/validate.js';
import { linearLoadResults } from '../helpers/size-fixtures.js';

function problems(f: () => unknown): string[] {
  return thrownUserError(f).problems;
}

describe('size: spec.sizing', () => {
  it('defaults every field and takes what the spec sets', () => {
    expect(resolveSpec({}).sizing).toEqual(DEFAULT_SIZING);
    expect(resolveSpec({ sizing: { headroom: 0.4, minimum: { memMiB: 64 } } }).sizing).toEqual({
      ...DEFAULT_SIZING,
      headroom: 0.4,
      minimum: { cpuMillicores: 10, memMiB: 64 },
    });
  });

  it('rejects unknown fields and out-of-range values with their path', () => {
    expect(problems(() => resolveSpec({ sizing: { headrom: 0.4 } }))[0]).toMatch(
      /^sizing: unknown field 'headrom'/,
    );
    expect(problems(() => resolveSpec({ sizing: { cpuLimitFactor: 0.5 } }))).toEqual([
      'sizing.cpuLimitFactor: Number must be greater than or equal to 1',
    ]);
  });

  it('reads a results file written before spec.sizing existed, with the defaults', () => {
    const old = JSON.parse(JSON.stringify(linearLoadResults({ modes: ['baseline', 'istio-sidecar'] }))) as {
      spec: Record<string, unknown>;
    };
    delete old.spec.sizing;
    expect(parseResults(old, 'old.json').spec.sizing).toEqual(DEFAULT_SIZING);
  });

  it('lays flags over the recorded settings and names a bad flag', () => {
    expect(applyOverrides(DEFAULT_SIZING, { headroom: 0, minCpuMillicores: 5 })).toEqual({
      ...DEFAULT_SIZING,
      headroom: 0,
      minimum: { cpuMillicores: 5, memMiB: 32 },
    });
    expect(problems(() => applyOverrides(DEFAULT_SIZING, { memLimitFactor: 0.9, minMemMiB: -1 }))).toEqual([
      '--mem-limit-factor: Number must be greater than or equal to 1',
      '--min-mem: Number must be greater than or equal to 0',
    ]);
  });
});
