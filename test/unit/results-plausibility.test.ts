import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../src/errors.js';
import { readResults } from '../../src/results/read.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { createHistogram, encodeHistogram } from '../../src/stats/histogram.js';
import { runCli } from '../helpers/cli.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

/**
 * Issue 14, "implausible results reported as facts": results.json is read for meaning, not only for shape.
 * Each damaged file is refused with a UserError naming the cell and the figure (exit 2), where the reports
 * used to print "∞ rps", "$NaN.00" or "+1000005825461 ms", or die with "internal error: Encoding not
 * supported".
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-plausible-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function base(): ResultsFile {
  return syntheticResults({
    seed: 1,
    tiers: [{ name: 'low' }],
    modes: ['baseline', 'istio-sidecar'],
    repetitions: 2,
    latency: { kind: 'constant', valueUs: 800, count: 100 },
  });
}

/** Writes `text` (JSON with any numbers, Infinity-producing literals included) and reads it back. */
async function refusal(text: string): Promise<UserError> {
  const p = join(dir, 'results.json');
  await writeFile(p, text);
  try {
    await readResults(p);
  } catch (e) {
    if (isUserError(e)) return e;
    throw e;
  }
  throw new Error('expected readResults to refuse the file');
}

const json = (r: unknown) => JSON.stringify(r, null, 1);
const all = (e: UserError) => [e.message, ...e.problems].join('\n');

/** A histogram holding `count` values of `us` each. */
function histogram(us: number, count: number) {
  const h = createHistogram();
  h.recordValueWithCount(us, count);
  return encodeHistogram(h);
}

describe('results read for meaning', () => {
  it('the untouched file reads', async () => {
    const p = join(dir, 'ok.json');
    await writeFile(p, json(base()));
    expect((await readResults(p)).cells).toHaveLength(4);
  });

  it('achievedRps: 1e999 (JSON.parse gives Infinity) is refused, naming the field', async () => {
    const text = json(base()).replace(/"achievedRps": [\d.]+/, '"achievedRps": 1e999');
    const e = await refusal(text);
    expect(e.message).toMatch(/holds numbers that are not finite/);
    expect(all(e)).toMatch(/cells\[0\]\.latency\.achievedRps: Infinity is not a finite number/);
  });

  it('cpuMillicores: 1e999 is refused, naming the sample', async () => {
    const text = json(base()).replace(
      /("tMs": [\d.]+,\s*"cpuMillicores": )[\d.]+/,
      (_m, field: string) => `${field}1e999`,
    );
    expect(all(await refusal(text))).toMatch(
      /cells\[\d+\]\.proxies\[0\]\.points\[0\]\.cpuMillicores: Infinity/,
    );
  });

  it('a histogram value of 1e15 us is refused (above the 1-hour range every engine records)', async () => {
    const r = base();
    r.cells[0]!.latency!.histogram = histogram(1e15, 100);
    const e = await refusal(json(r));
    expect(e.message).toMatch(/holds figures that cannot be right/);
    expect(all(e)).toMatch(
      /cells\[0\] \(baseline \/ low \/ repetition 1\): the latency histogram holds a value of \d+ us .* above the 1-hour maximum/,
    );
  });

  it('a histogram of 2^52 values for 100 requests is refused', async () => {
    const r = base();
    r.cells[1]!.latency!.histogram = histogram(800, 2 ** 52);
    expect(all(await refusal(json(r)))).toMatch(
      /cells\[1\] .*: the latency histogram holds 4503599627370496 values, but the cell counts 100 requests of which 100 ok/,
    );
  });

  it('an empty histogram with 100 ok requests is refused', async () => {
    const r = base();
    r.cells[0]!.latency!.histogram = encodeHistogram(createHistogram());
    expect(all(await refusal(json(r)))).toMatch(/cells\[0\] .*: the latency histogram holds 0 values/);
  });

  it('ok > requests, measureSeconds 0 and duplicate cells are refused', async () => {
    const r = base();
    r.cells[0]!.latency!.ok = 101;
    r.cells[1]!.latency!.measureSeconds = 0;
    r.cells.push({ ...r.cells[2]!, index: 9 });
    const text = all(await refusal(json(r)));
    expect(text).toMatch(/cells\[0\] .*: 101 ok requests of 100 requests/);
    expect(text).toMatch(/cells\[1\] .*: measureSeconds is 0, must be > 0/);
    expect(text).toMatch(/cells\[4\] .*: the same cell as cells\[2\] \(cells must be unique\)/);
  });

  it('a histogram that is not valid HDR/base64 is a UserError naming the cell, not an internal error', async () => {
    const r = base();
    r.cells[3]!.latency!.histogram = { encoding: 'hdr-v2-base64', unit: 'us', data: 'bm90IGhkcg==' };
    expect(all(await refusal(json(r)))).toMatch(
      /cells\[3\] \([a-z-]+ \/ low \/ repetition 2\): the latency histogram is not a valid HDR histogram \(Encoding not supported/,
    );
  });
});

describe('every command refuses a damaged file with exit 2; history skips and lists it', () => {
  async function damaged(): Promise<{ good: string; bad: string }> {
    const good = join(dir, 'n1', 'results.json');
    const bad = join(dir, 'n2', 'results.json');
    const r = base();
    await writeFile(join(await mk('n1'), 'results.json'), json(r));
    r.cells[0]!.latency!.histogram = { encoding: 'hdr-v2-base64', unit: 'us', data: '!!!' };
    await writeFile(join(await mk('n2'), 'results.json'), json({ ...r, runId: 'damaged' }));
    return { good, bad };
  }
  async function mk(name: string): Promise<string> {
    const d = join(dir, name);
    await (await import('node:fs/promises')).mkdir(d, { recursive: true });
    return d;
  }

  it('report, compare and size: exit 2 naming the cell', async () => {
    const { good, bad } = await damaged();
    const inventory = join(dir, 'inventory.csv');
    await writeFile(
      inventory,
      'name,namespace,replicas,peakRpsPerPod,avgRpsPerPod,podsPerNode\nc,shop,2,100,50,1\n',
    );
    for (const args of [
      ['report', bad, '--out', join(dir, 'r')],
      ['compare', good, bad],
      ['size', inventory, '--results', bad, '--out', join(dir, 's')],
    ]) {
      const r = await runCli(args);
      expect(r.code, `${args[0]}: ${r.err.join('\n')}`).toBe(2);
      expect(r.err.join('\n')).toMatch(
        /cells\[0\] \(baseline \/ low \/ repetition 1\): the latency histogram is not a valid HDR histogram/,
      );
      expect(r.err.join('\n')).not.toMatch(/internal error/);
    }
  });

  it('size of results with cpuMillicores 1e999 is exit 2, not $NaN.00', async () => {
    const p = join(dir, 'inf.json');
    await writeFile(
      p,
      json(base()).replace(
        /("tMs": [\d.]+,\s*"cpuMillicores": )[\d.]+/g,
        (_m, field: string) => `${field}1e999`,
      ),
    );
    const inventory = join(dir, 'inventory.csv');
    await writeFile(
      inventory,
      'name,namespace,replicas,peakRpsPerPod,avgRpsPerPod,podsPerNode\nc,shop,2,100,50,1\n',
    );
    const r = await runCli(['size', inventory, '--results', p, '--out', join(dir, 's'), '--no-html']);
    expect(r.code).toBe(2);
    expect(r.out.join('\n')).not.toMatch(/NaN|n\/am/);
    expect(r.err.join('\n')).toMatch(/cpuMillicores: Infinity is not a finite number/);
  });

  it('history: one damaged night is skipped and listed, the others are charted (exit 0)', async () => {
    await damaged();
    const r3 = base();
    await writeFile(
      join(await mk('n3'), 'results.json'),
      json({ ...r3, runId: 'n3', startedAt: '2026-01-03T00:00:00.000Z' }),
    );
    const r = await runCli(['history', dir, '--no-html']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.err.join('\n')).toMatch(/skipped n2\/results\.json: .*not a valid HDR histogram/);
    expect(r.err.join('\n')).toMatch(/history: 2 run\(s\)/);
    expect(await readdir(dir)).toContain('history.md');
  });
});
