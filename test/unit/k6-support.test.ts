import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOAD_SUPPORT } from '../../src/runner/load-supports.js';
import { loadSupportProblems } from '../../src/spec/load-support.js';
import { resolveSpec } from '../../src/spec/validate.js';
import { runCli } from '../helpers/cli.js';

const tiers = (...t: Record<string, unknown>[]) =>
  resolveSpec({ tiers: t.map((x, i) => ({ name: `t${i}`, rps: 10, ...x })) });

describe('what the k6 engine declares it runs (src/engines/k6/support.ts)', () => {
  it('runs http/1.1 and gRPC keep-alive tiers, and HTTP/1.1 churn of one request per connection', () => {
    const ok = tiers({}, { protocol: 'grpc' }, { requestsPerConnection: 1 });
    expect(loadSupportProblems(ok, [LOAD_SUPPORT.k6])).toEqual([]);
  });

  it.each([
    [{ protocol: 'h2c' }, /tiers\[0\]\.protocol \(tier t0\): engine k6 does not speak h2c.*without TLS/],
    [
      { requestsPerConnection: 5 },
      /tiers\[0\]\.requestsPerConnection \(tier t0\): engine k6 cannot open a new connection every 5 http\/1\.1 request\(s\): k6 .*cannot close one after N requests.*\(set requestsPerConnection to 1/,
    ],
    [
      { protocol: 'grpc', requestsPerConnection: 1 },
      /tiers\[0\]\.requestsPerConnection \(tier t0\): engine k6 cannot open a new connection every 1 grpc request\(s\): .*gRPC client does not time connection set-up/,
    ],
  ])('refuses %j, naming the field and why', (tier, message) => {
    const problems = loadSupportProblems(tiers(tier), [LOAD_SUPPORT.k6]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('plan --engine k6 refuses what k6 cannot run (exit 2)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshbench-test-k6-support-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('churn of 10 requests per connection, and accepts churn of 1 and gRPC', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'tiers:\n  - name: churn10\n    rps: 100\n    requestsPerConnection: 10\n');
    const refused = await runCli(['plan', bad, '--engine', 'k6']);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toMatch(/tiers\[0\]\.requestsPerConnection \(tier churn10\): engine k6/);
    const good = join(dir, 'good.yaml');
    await writeFile(
      good,
      'tiers:\n  - name: churn\n    rps: 100\n    requestsPerConnection: 1\n  - name: rpc\n    rps: 100\n    protocol: grpc\n',
    );
    // The local platform decides for itself what it carries; only k6's refusals are asserted here.
    const plan = await runCli(['plan', good, '--engine', 'k6']);
    expect(plan.err.join('\n')).not.toMatch(/\(tier \w+\): engine k6/);
  });
});
