import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSpec } from '../../src/spec/validate.js';
import { loadSupportProblems, supportsFor, type LoadSupport } from '../../src/spec/load-support.js';
import { LOAD_SUPPORT } from '../../src/runner/load-supports.js';
import { UserError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

function problemsOf(input: unknown): string[] {
  try {
    resolveSpec(input, 'spec test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).problems;
  }
  throw new Error('expected the spec to be rejected');
}

describe('tier protocol and requestsPerConnection in the spec', () => {
  it('defaults to http/1.1 over keep-alive connections (requestsPerConnection absent)', () => {
    const s = resolveSpec({ tiers: [{ name: 'low' }, { name: 'odd', rps: 70 }] });
    for (const t of s.tiers) {
      expect(t.protocol).toBe('http/1.1');
      expect(t).not.toHaveProperty('requestsPerConnection');
    }
  });

  it('accepts h2c, grpc and a positive whole requestsPerConnection', () => {
    const s = resolveSpec({
      tiers: [
        { name: 'h2', rps: 100, protocol: 'h2c' },
        { name: 'rpc', rps: 100, protocol: 'grpc', requestsPerConnection: 50 },
        { name: 'churn', rps: 100, requestsPerConnection: 1 },
      ],
    });
    expect(s.tiers.map((t) => [t.protocol, t.requestsPerConnection])).toEqual([
      ['h2c', undefined],
      ['grpc', 50],
      ['http/1.1', 1],
    ]);
  });

  const bad: [string, unknown, RegExp][] = [
    [
      'unknown protocol',
      { protocol: 'h3' },
      /^tiers\[0\]\.protocol: 'h3' is not one of 'http\/1\.1', 'h2c', 'grpc'$/,
    ],
    [
      'zero',
      { requestsPerConnection: 0 },
      /^tiers\[0\]\.requestsPerConnection: Number must be greater than or equal to 1$/,
    ],
    [
      'fraction',
      { requestsPerConnection: 2.5 },
      /^tiers\[0\]\.requestsPerConnection: expected integer, got float$/,
    ],
    [
      'string',
      { requestsPerConnection: 'one' },
      /^tiers\[0\]\.requestsPerConnection: expected number, got string$/,
    ],
  ];
  it.each(bad)('refuses %s', (_name, field, message) => {
    const problems = problemsOf({ tiers: [{ name: 'low', ...(field as object) }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('loadSupportProblems', () => {
  const h1Only: LoadSupport = { subject: 'engine toy', protocols: ['http/1.1'], connectionChurn: false };
  const all: LoadSupport = {
    subject: 'platform toy',
    protocols: ['http/1.1', 'h2c', 'grpc'],
    connectionChurn: true,
  };
  const spec = resolveSpec({
    tiers: [
      { name: 'plain', rps: 10 },
      { name: 'rpc', rps: 10, protocol: 'grpc' },
      { name: 'churn', rps: 10, requestsPerConnection: 1 },
    ],
  });

  it('names the tier, its index, the field, who cannot carry it and a fix', () => {
    expect(loadSupportProblems(spec, [h1Only, all])).toEqual([
      'tiers[1].protocol (tier rpc): engine toy does not speak grpc, only http/1.1 (set protocol to one of http/1.1, or choose another engine)',
      'tiers[2].requestsPerConnection (tier churn): engine toy cannot open a new connection every 1 request(s) (remove requestsPerConnection, or choose another engine)',
    ]);
    expect(loadSupportProblems(spec, [all])).toEqual([]);
  });

  it('uses the declaration’s own fix where it gives one', () => {
    const withFix: LoadSupport = { ...h1Only, fixes: { grpc: 'use the other thing' } };
    expect(loadSupportProblems(spec, [withFix])[0]).toMatch(/\(use the other thing\)$/);
  });

  it('checks the engine and the platform of the run; on Kubernetes the engine is always k6', () => {
    expect(supportsFor('local', 'builtin', LOAD_SUPPORT)).toEqual([LOAD_SUPPORT.builtin, LOAD_SUPPORT.local]);
    expect(supportsFor('local', 'auto', LOAD_SUPPORT)).toEqual([LOAD_SUPPORT.local]);
    expect(supportsFor('kubernetes', 'builtin', LOAD_SUPPORT)).toEqual([
      LOAD_SUPPORT.k6,
      LOAD_SUPPORT.kubernetes,
    ]);
  });

  it('k6 never runs h2c: it negotiates HTTP/2 only over TLS', () => {
    const h2 = resolveSpec({ tiers: [{ name: 'h2', rps: 10, protocol: 'h2c' }] });
    expect(loadSupportProblems(h2, [LOAD_SUPPORT.k6])).toEqual([
      expect.stringMatching(
        /^tiers\[0\]\.protocol \(tier h2\): engine k6 does not speak h2c.*\(k6 does not speak h2c/,
      ),
    ]);
  });
});

describe('plan and run refuse a tier the engine cannot carry (exit 2, nothing started)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshbench-test-support-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an h2c tier with k6', async () => {
    const spec = join(dir, 'spec.yaml');
    await writeFile(spec, 'tiers:\n  - name: low\n  - name: mux\n    rps: 100\n    protocol: h2c\n');
    for (const flags of [
      ['--engine', 'k6'],
      ['--platform', 'kubernetes'],
    ]) {
      const plan = await runCli(['plan', spec, ...flags]);
      expect(plan.code).toBe(2);
      expect(plan.err.join('\n')).toMatch(/tiers\[1\]\.protocol \(tier mux\): engine k6 does not speak h2c/);
      expect(plan.err.join('\n')).toMatch(/^fix: /m);
    }
    // A k6 that only answers `k6 version`: the run must stop before it would ever be asked to run anything.
    const k6 = join(dir, 'k6');
    await writeFile(
      k6,
      '#!/bin/sh\n[ "$1" = version ] && echo "k6 v0.48.0 (commit/47c0a26798, go1.19.8, linux/amd64)" && exit 0\nexit 1\n',
    );
    await chmod(k6, 0o755);
    const run = await runCli(['run', spec, '--k6', k6, '--out', join(dir, 'reports')]);
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/tiers\[1\]\.protocol \(tier mux\): engine k6 does not speak h2c/);
    expect((await readdir(dir)).sort()).toEqual(['k6', 'spec.yaml']);
  });

  it('plan shows each tier’s protocol and requests per connection', async () => {
    const spec = join(dir, 'spec.yaml');
    await writeFile(
      spec,
      'tiers:\n  - name: low\n  - name: churn\n    rps: 100\n    requestsPerConnection: 1\n',
    );
    const plan = await runCli(['plan', spec, '--platform', 'local']);
    const text = plan.out.join('\n');
    expect(text).toMatch(/protocol +rps .*requests\/connection/);
    expect(text).toMatch(/^low +http\/1\.1 +50 .* unlimited /m);
    const json = await runCli(['plan', spec, '--json']);
    const tiers = (JSON.parse(json.out.join('\n')) as { spec: { tiers: unknown[] } }).spec.tiers;
    expect(tiers[1]).toMatchObject({ name: 'churn', protocol: 'http/1.1', requestsPerConnection: 1 });
  });
});
