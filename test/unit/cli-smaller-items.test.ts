import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * Issue 14, "smaller": input mistakes that used to be silently accepted now get the clear error a user
 * expects (exit 2, the problem and the fix, nothing started).
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-smaller-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function spec(yaml: string): Promise<string> {
  const p = join(dir, 'spec.yaml');
  await writeFile(p, yaml);
  return p;
}

async function refused(args: string[], message: RegExp): Promise<string> {
  const r = await runCli(args);
  const err = r.err.join('\n');
  expect(r.code, `${args.join(' ')}\n${[...r.out, ...r.err].join('\n')}`).toBe(2);
  expect(err).toMatch(message);
  expect(err).toMatch(/^fix: /m);
  return err;
}

describe('smaller input mistakes are refused, not silently run', () => {
  it('an empty spec file (or one of comments only) does not run the full default benchmark', async () => {
    await refused(['plan', await spec('')], /spec .*spec\.yaml is empty/);
    await refused(['plan', await spec('# nothing but a comment\n\n')], /spec .*spec\.yaml holds no fields/);
    await refused(['run', await spec('\n'), '--out', join(dir, 'out')], /is empty/);
    expect(await readdir(dir)).toEqual(['spec.yaml']); // nothing written, nothing started
  });

  it('an extra positional argument (--modes baseline istio-sidecar) is an error, not dropped', async () => {
    const s = await spec('repetitions: 1\n');
    const err = await refused(
      ['plan', s, '--modes', 'baseline', 'istio-sidecar'],
      /unexpected argument 'istio-sidecar': meshbench plan takes \[spec\]/,
    );
    expect(err).toMatch(/--modes baseline,istio-sidecar/);
    await refused(
      ['plan', '--modes', 'baseline', 'istio-sidecar'],
      /'istio-sidecar' is a mode, not a spec file/,
    );
    await refused(['compare', 'a.json', 'b.json', 'c.json'], /unexpected argument 'c\.json'/);
  });

  it('--tiers , and --modes , name nothing: refused instead of keeping every tier or mode', async () => {
    await refused(['plan', '--tiers', ','], /--tiers ',' names nothing/);
    await refused(['plan', '--modes', ' , '], /--modes ' , ' names nothing/);
  });

  it('--manifests-only beside --json is refused instead of ignored', async () => {
    await refused(
      ['plan', '--platform', 'kubernetes', '--json', '--manifests-only'],
      /--json and --manifests-only ask for two different outputs/,
    );
  });

  it('--k6 with --engine builtin is refused instead of silently overriding it', async () => {
    await refused(
      ['run', '--k6', '/usr/bin/true', '--engine', 'builtin', '--out', join(dir, 'out')],
      /--k6 asks for the k6 engine, --engine builtin for the builtin one/,
    );
  });

  it('an unknown field gets "did you mean" and the fields allowed there, not a pointer to plan --help', async () => {
    const err = await refused(
      ['plan', await spec('repetitons: 3\ntiers:\n  - {name: low, rps: 10, timeoutMS: 100}\n')],
      /unknown field 'repetitons' \('repetitons': did you mean 'repetitions'\?/,
    );
    expect(err).toMatch(/tiers\[0\]: unknown field 'timeoutMS' \('timeoutMS': did you mean 'timeoutMs'\?/);
    expect(err).toMatch(/fields here: version, name, platform, engine, modes, tiers, repetitions/);
    expect(err).toMatch(/examples\/spec\.yaml shows every field/);
    expect(err).not.toMatch(/plan --help/);
  });

  it('app.delayMs longer than a tier timeout fails plan, not 15 s into run', async () => {
    const err = await refused(
      ['plan', await spec('app: {delayMs: 10000}\ntiers:\n  - {name: low, rps: 10, timeoutMs: 500}\n')],
      /tiers\[0\]\.timeoutMs: 500 ms is not longer than app\.delayMs \(10000 ms\), so every request of tier low would time out/,
    );
    expect(err).toMatch(/raise timeoutMs above app\.delayMs/);
    await refused(
      ['plan', '--delay-ms', '6000'],
      /tiers\[0\]\.timeoutMs: 5000 ms is not longer than app\.delayMs/,
    );
  });
});
