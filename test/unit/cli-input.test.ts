import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
    expect(text).toMatch(/expected duration: 2m 08s of load/);
  });

  it('plan --json is the resolved spec and the cell order', async () => {
    const r = await runCli(['plan', '--json', '--modes', 'baseline,appmesh', '--repetitions', '2']);
    const parsed = JSON.parse(r.out.join('\n')) as { spec: { modes: string[] }; plan: { cells: unknown[] } };
    expect(parsed.spec.modes).toEqual(['baseline', 'appmesh']);
    expect(parsed.plan.cells).toHaveLength(12);
  });
});
