import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleScenario } from '../../src/engines/k6/bundle.js';
import { K6_ENV } from '../../src/engines/k6/env-keys.js';
import { k6Env } from '../../src/engines/k6/env.js';
import { readResults } from '../../src/results/read.js';
import { DEFAULT_TIERS } from '../../src/spec/defaults.js';
import { buildFakeK6 } from '../helpers/fake-k6/build.js';
import { parseK6Duration } from '../helpers/k6-options-check.js';
import { collect, spawnCli } from '../helpers/cli.js';
import { leftovers, snapshotRun, waitFor, type RunSnapshot } from '../helpers/leftovers.js';

/*
 * `meshbench run --quick --engine k6` end to end on the local platform (real HAProxy and app servers), with a k6
 * test double that refuses scenarios the way k6 does (exit 104 under 1 s) and sends the scenario's requests for
 * real (test/helpers/fake-k6). With a real k6 v0.48 this command failed every low and medium cell
 * (shared/fixtures/k6/scenario-too-short).
 */
let dir: string;
const children: { kill: (s: NodeJS.Signals) => boolean }[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-k6-e2e-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function k6TempDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => /^meshbench-(fake-)?k6-[A-Za-z0-9]{6}$/.test(n));
}

interface Logged {
  scenarios: Record<string, Record<string, unknown>>;
  plannedVUs: number;
  errors: string[];
}

describe('meshbench run --quick --engine k6 (k6 test double)', () => {
  it('the double refuses what k6 refuses: a 0.5 s warm-up of our own scenario exits 104 with k6 words', async () => {
    const k6 = await buildFakeK6(dir);
    const script = join(dir, 'scenario.js');
    await writeFile(script, (await bundleScenario()).source);
    const tier = { ...DEFAULT_TIERS[0]!, warmupSec: 1 };
    const env = {
      ...k6Env({ endpoints: ['http://127.0.0.1:9/'], protocol: 'http/1.1' }, tier, {}),
      [K6_ENV.warmupMs]: '500',
    };
    const r = spawnSync(k6, ['run', '--no-usage-report', script], {
      cwd: dir,
      env: { PATH: process.env['PATH'], ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(104);
    expect(r.stderr).toContain(
      'scenario warmup has configuration errors: the duration must be at least 1s, but is 500ms',
    );
  });

  it('runs every cell of --quick (low and medium: 0.5 s warm-ups) without a failure, and leaves nothing behind', async () => {
    const k6 = await buildFakeK6(dir);
    const log = join(dir, 'k6-runs.jsonl');
    const tempBefore = await k6TempDirs();
    const runId = `k6-quick-${process.pid}`;
    const child = spawnCli(
      [
        'run',
        '--quick',
        '--engine',
        'k6',
        '--k6',
        k6,
        '--modes',
        'baseline,istio-sidecar',
        '--tiers',
        'low,medium',
        '--repetitions',
        '1',
        '--run-id',
        runId,
        '--out',
        dir,
        '--json',
      ],
      { FAKE_K6_LOG: log },
    );
    children.push(child);
    const { lines, done } = collect(child);
    const snap: RunSnapshot = await waitFor(
      () => (lines.some((l) => l.includes('"cell-start"')) ? snapshotRun(runId) : undefined),
      90_000,
      'the first cell',
    );
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'k6: warm-up lengthened to 1 s (low 0.5 s -> 1 s, medium 0.5 s -> 1 s): k6 refuses scenarios shorter than 1 s',
    );

    const results = await readResults(join(dir, runId, 'results.json'));
    expect(results.status).toBe('complete');
    expect(results.environment.engine).toEqual({ name: 'k6', version: '0.48.0' });
    expect(results.cells.map((c) => [c.mode, c.tier, c.status, c.error]).sort()).toEqual([
      ['baseline', 'low', 'ok', undefined],
      ['baseline', 'medium', 'ok', undefined],
      ['istio-sidecar', 'low', 'ok', undefined],
      ['istio-sidecar', 'medium', 'ok', undefined],
    ]);
    // What ran is what results.json says ran: 1 s warm-ups, 2 s measure windows.
    expect(results.spec.tiers.map((t) => [t.name, t.warmupSec, t.durationSec])).toEqual([
      ['low', 1, 2],
      ['medium', 1, 2],
    ]);
    for (const c of results.cells) {
      const l = c.latency!;
      // The measure window's requests only (about rate x 2 s), every one answered.
      expect(l.requests).toBeGreaterThan(0.8 * l.targetRps * 2);
      expect(l.ok).toBe(l.requests);
      expect(l.k6).toMatchObject({ preAllocatedVUs: c.tier === 'low' ? 5 : 50 });
    }

    // Every k6 run was given scenarios k6 accepts, and initialised its pre-allocated VUs once.
    const runs = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Logged);
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      expect(run.errors).toEqual([]);
      expect(Object.keys(run.scenarios)).toEqual(['warmup', 'measure']);
      for (const sc of Object.values(run.scenarios))
        expect(parseK6Duration(sc['duration'])).toBeGreaterThanOrEqual(1000);
      expect(run.plannedVUs).toBe(run.scenarios['measure']?.['preAllocatedVUs']);
    }

    await waitFor(() => (leftovers(snap).length === 0 ? true : undefined), 10_000, 'leftovers to be gone');
    // The engine's and the double's temporary directories are gone too.
    expect((await k6TempDirs()).filter((d) => !tempBefore.includes(d))).toEqual([]);
  });
});
