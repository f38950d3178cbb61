import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function meshbenchTempDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => /^meshbench-\d{8}-/.test(n));
}

describe('bad input: message, exit 2, nothing started', () => {
  const cases: [string, string, RegExp][] = [
    ['wrong type', 'repetitions: three\n', /repetitions: expected number, got string/],
    ['unknown mode', 'modes: [baseline, cilium]\n', /modes\[1\]: 'cilium' is not one of/],
    [
      'negative rate',
      'tiers:\n  - name: low\n    rps: -10\n',
      /tiers\[0\]\.rps: Number must be greater than 0/,
    ],
    ['unknown field', 'tiers:\n  - name: low\n    rate: 10\n', /tiers\[0\]: unknown field 'rate'/],
    ['broken YAML', 'modes: [baseline\n', /not valid YAML or JSON/],
  ];
  it.each(cases)('%s', async (_name, yaml, message) => {
    const spec = join(dir, 'spec.yaml');
    await writeFile(spec, yaml);
    const before = await meshbenchTempDirs();
    const r = await runCli(['run', spec, '--out', join(dir, 'reports')]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(message);
    expect(r.err.join('\n')).toMatch(/^fix: /m);
    expect(r.err.join('\n')).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(await readdir(dir)).toEqual(['spec.yaml']); // no reports directory: nothing started
    expect(await meshbenchTempDirs()).toEqual(before);
  });

  it('a missing spec file names the path', async () => {
    const r = await runCli(['plan', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/cannot read spec .*nope\.yaml/);
  });

  it('bad flags exit 2', async () => {
    expect((await runCli(['run', '--engine', 'jmeter'])).code).toBe(2);
    expect((await runCli(['run', '--no-such-flag'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const r = await runCli(['plan', '--repetitions', 'lots']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/--repetitions expects a number/);
    const t = await runCli(['plan', '--tiers', 'low,extreme']);
    expect(t.code).toBe(2);
    expect(t.err.join('\n')).toMatch(/--tiers names unknown tier: extreme/);
  });

  it('a tier k6 would refuse (measure window under 1 s): run and plan exit 2 before anything starts', async () => {
    const spec = join(dir, 'spec.yaml');
    await writeFile(spec, 'tiers:\n  - name: blink\n    rps: 100\n    durationSec: 0.5\n');
    // A k6 that only answers `k6 version`: the run must stop before it would ever be asked to run anything.
    const k6 = join(dir, 'k6');
    await writeFile(
      k6,
      '#!/bin/sh\n[ "$1" = version ] && echo "k6 v0.48.0 (commit/47c0a26798, go1.19.8, linux/amd64)" && exit 0\nexit 1\n',
    );
    await chmod(k6, 0o755);
    const before = await meshbenchTempDirs();
    const run = await runCli(['run', spec, '--k6', k6, '--out', join(dir, 'reports')]);
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(
      /tiers\[0\]\.durationSec \(tier blink\): 0\.5 s is shorter than the 1 s k6 accepts/,
    );
    expect(run.err.join('\n')).toMatch(/^fix: set durationSec to 1 or more, or use --engine builtin/m);
    expect((await readdir(dir)).sort()).toEqual(['k6', 'spec.yaml']);
    expect(await meshbenchTempDirs()).toEqual(before);
    for (const flags of [
      ['--engine', 'k6'],
      ['--platform', 'kubernetes'],
    ]) {
      const plan = await runCli(['plan', spec, ...flags]);
      expect(plan.code).toBe(2);
      expect(plan.err.join('\n')).toMatch(/tiers\[0\]\.durationSec \(tier blink\)/);
    }
    // The builtin engine has no such minimum.
    expect((await runCli(['plan', spec, '--engine', 'builtin'])).code).toBe(0);
  });

  it('report refuses a file that is not results', async () => {
    const p = join(dir, 'x.json');
    await writeFile(p, '{"hello": 1}');
    const r = await runCli(['report', p]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/not a meshbench results file/);
  });
});

describe('help and plan', () => {
  it('--help explains every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    for (const c of ['run', 'plan', 'report', 'doctor'])
      expect(text).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
  });

  it('run --help lists its options', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/--quick/);
    expect(r.out.join('\n')).toMatch(/--json/);
  });

  it('plan prints the matrix and the expected duration without running anything', async () => {
    const r = await runCli(['plan', '--quick']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/45 cells \(5 modes x 3 tiers x 3 repetitions\)/);
    expect(text).toMatch(/expected duration: 2m 00s of load/);
  });

  it('plan --engine k6 --quick: warm-ups k6 accepts, and the VUs k6 gets per tier', async () => {
    const r = await runCli(['plan', '--quick', '--engine', 'k6']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^low +http\/1\.1 +50 +1s +2s /m); // warm-up 0.5 s -> 1 s for k6
    expect(text).toMatch(/^high +http\/1\.1 +2000 +1s +2s /m);
    expect(text).toMatch(/^low +50 +5 \(50 RPS x 100 ms latency budget\) +256$/m);
    expect(text).toMatch(/^high +2000 +200 \(2000 RPS x 100 ms latency budget\) +1024$/m);
    expect(text).toMatch(/k6: warm-up lengthened to 1 s \(low 0\.5 s -> 1 s, medium 0\.5 s -> 1 s\)/);
    // 45 cells; low and medium warm up 0.5 s longer each: 2m00s + 30 x 0.5 s.
    expect(text).toMatch(/expected duration: 2m 15s of load/);
    const json = JSON.parse(
      (await runCli(['plan', '--quick', '--engine', 'k6', '--json'])).out.join('\n'),
    ) as {
      spec: { tiers: { warmupSec: number }[] };
      k6: { warmups: unknown[]; tiers: { tier: string; preAllocatedVUs: number; maxVUs: number }[] };
    };
    expect(json.spec.tiers.map((t) => t.warmupSec)).toEqual([1, 1, 1]);
    expect(json.k6.warmups).toHaveLength(2);
    expect(json.k6.tiers.map((t) => [t.tier, t.preAllocatedVUs, t.maxVUs])).toEqual([
      ['low', 5, 256],
      ['medium', 50, 512],
      ['high', 200, 1024],
    ]);
  });

  it('plan --platform kubernetes shows the VU sizing per load pod, and the Job gets it', async () => {
    const spec = join(dir, 'spec.yaml');
    await writeFile(
      spec,
      'modes: [baseline]\nrepetitions: 1\napp:\n  delayMs: 20\ntiers:\n  - name: t1000\n    rps: 1000\n    durationSec: 6\n    warmupSec: 1\nkubernetes:\n  k6Parallelism: 3\n',
    );
    const r = await runCli(['plan', spec, '--platform', 'kubernetes']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/spread over 3 load pods/);
    // 1000 RPS x (20 ms app delay + 100 ms) = 120, a multiple of 3; maxInFlight 1000 -> 1002.
    expect(text).toMatch(/^t1000 +1000 +120 \(1000 RPS x 120 ms latency budget\) +1002 +40\/334$/m);
    expect(text).toMatch(/- name: PRE_VUS\n +value: "120"\n +- name: MAX_VUS\n +value: "1002"/);
  });

  it('plan --json is the resolved spec and the cell order', async () => {
    const r = await runCli(['plan', '--json', '--modes', 'baseline,appmesh', '--repetitions', '2']);
    const parsed = JSON.parse(r.out.join('\n')) as { spec: { modes: string[] }; plan: { cells: unknown[] } };
    expect(parsed.spec.modes).toEqual(['baseline', 'appmesh']);
    expect(parsed.plan.cells).toHaveLength(12);
  });
});
