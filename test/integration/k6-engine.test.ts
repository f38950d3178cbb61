import { access, chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError, type LoadHooks, type LoadProgress } from '../../src/engines/engine.js';
import { createK6Engine, k6Env } from '../../src/engines/k6/index.js';
import { availableParallelism } from 'node:os';
import { diagnoseK6 } from '../../src/engines/k6/diagnosis.js';
import { cellFlags } from '../../src/runner/cell-flags.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import type { Tier } from '../../src/spec/schema.js';
import { k6Fixtures } from '../helpers/shared-data.js';

/*
 * The k6 engine's process handling, run end to end WITHOUT k6 (it cannot be installed here): `fakeK6` writes a
 * test double of the k6 BINARY only. It answers `k6 version` like k6 v0.48, and for `k6 run` copies a real k6
 * v0.48 run's files (shared/fixtures/k6/<case>/out.csv, summary-export.json, handle-summary.json) to the paths
 * the engine gave it, prints that run's stdout and stderr and exits with its exit code. Everything else (bundle,
 * env, spawn, progress, exit codes, ingest, clean-up) is the real engine. The script-error stderr below is
 * synthetic, in the logfmt k6 uses (see threshold-fail/stderr.txt), since no fixture has a script exception.
 */
const FIXTURES = k6Fixtures.path;

interface FakeConfig {
  fixture: string;
  exitCode?: number;
  stderr?: string;
  /** Copy this file instead of the fixture's out.csv. */
  csvFrom?: string;
  noOutput?: boolean;
  /** Wait for a signal instead of finishing. */
  hang?: boolean;
  ignoreSigint?: boolean;
  killSelf?: boolean;
  /** Print a progress line at 0 s, then keep one core busy this long before replaying the fixture. */
  burnMs?: number;
}

interface FakeRecord {
  pid: number;
  args: string[];
  cwd: string;
  /** The files beside the script when k6 started. */
  files: string[];
  env: Record<string, string>;
  scriptText: string;
}

let work = '';
let n = 0;

async function fakeK6(cfg: FakeConfig): Promise<{ bin: string; record: string }> {
  const dir = join(work, `fake-${++n}`);
  await import('node:fs/promises').then((fs) => fs.mkdir(dir));
  const bin = join(dir, 'k6');
  const record = join(dir, 'record.json');
  const full = {
    ...cfg,
    fixture: join(FIXTURES, cfg.fixture),
    record,
    version: await readFile(join(FIXTURES, 'k6-version.txt'), 'utf8'),
  };
  await writeFile(
    bin,
    `#!${process.execPath}
const fs = require('fs');
const path = require('path');
const cfg = ${JSON.stringify(full)};
const args = process.argv.slice(2);
if (args[0] === 'version') { process.stdout.write(cfg.version); process.exit(0); }
const opt = (name) => { const i = args.indexOf(name); return i === -1 ? undefined : args[i + 1]; };
const csv = (opt('--out') || '').replace(/^csv=/, '');
const script = args[args.length - 1];
const env = {};
for (const [k, v] of Object.entries(process.env)) if (/^(K6_|TARGETS|RATE|TIME_UNIT|DURATION_MS|WARMUP_MS|PRE_VUS|MAX_VUS|PAYLOAD_BYTES|PROTOCOL|NO_CONNECTION_REUSE|GRPC_|TIMEOUT_MS|TAGS|SUMMARY_)/.test(k)) env[k] = v;
fs.writeFileSync(cfg.record, JSON.stringify({ pid: process.pid, args, cwd: process.cwd(), files: fs.readdirSync(path.dirname(script)).sort(), env, scriptText: fs.readFileSync(script, 'utf8') }));
const fixture = (f) => path.join(cfg.fixture, f);
if (cfg.killSelf) process.kill(process.pid, 'SIGKILL');
if (cfg.hang) {
  process.on('SIGINT', () => { fs.appendFileSync(cfg.record + '.signals', 'SIGINT\\n'); if (!cfg.ignoreSigint) process.exit(105); });
  process.stdout.write('running (00.5s), 1/2 VUs, 10 complete and 0 interrupted iterations\\n');
  setInterval(() => {}, 1000);
} else {
  if (cfg.burnMs) {
    process.stdout.write('running (00.0s), 0/2 VUs, 0 complete and 0 interrupted iterations\\n');
    const until = Date.now() + cfg.burnMs;
    while (Date.now() < until) {}
  }
  if (!cfg.noOutput) {
    fs.copyFileSync(cfg.csvFrom || fixture('out.csv'), csv);
    const se = opt('--summary-export');
    if (se) fs.copyFileSync(fixture('summary-export.json'), se);
    if (process.env.SUMMARY_PATH && fs.existsSync(fixture('handle-summary.json'))) fs.copyFileSync(fixture('handle-summary.json'), process.env.SUMMARY_PATH);
  }
  process.stdout.write(fs.readFileSync(fixture('stdout.txt')));
  process.stderr.write(cfg.stderr !== undefined ? cfg.stderr : fs.readFileSync(fixture('stderr.txt')));
  process.exitCode = cfg.exitCode !== undefined ? cfg.exitCode : Number(fs.readFileSync(fixture('exit-code.txt'), 'utf8'));
}
`,
  );
  await chmod(bin, 0o755);
  return { bin, record };
}

async function readRecord(path: string): Promise<FakeRecord> {
  return JSON.parse(await readFile(path, 'utf8')) as FakeRecord;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Tiers of the recorded runs (see each fixture's script.js), so the measure window matches what k6 ran.
const base: Tier = {
  name: 'low',
  rps: 200,
  durationSec: 5,
  warmupSec: 1,
  connections: 10,
  payloadBytes: 256,
  protocol: 'http/1.1',
  maxInFlight: 50,
  timeoutMs: 2000,
};
const target = { endpoints: ['http://127.0.0.1:18091/'], protocol: 'http/1.1' as const };
const tags = { mode: 'baseline', rep: '1' };

describe('k6 engine run() with a test double of the k6 binary', () => {
  const savedK6Duration = process.env['K6_DURATION'];
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'meshbench-k6-engine-test-'));
  });
  afterEach(() => {
    if (savedK6Duration === undefined) delete process.env['K6_DURATION'];
    else process.env['K6_DURATION'] = savedK6Duration;
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  k6Fixtures.it(
    'runs k6 with --no-usage-report, the scenario env and CSV output, and returns the measure window',
    async () => {
      const { bin, record } = await fakeK6({ fixture: 'ok-200rps' });
      process.env['K6_DURATION'] = '1h'; // a stray K6_* setting in the shell must not reach k6
      const events: string[] = [];
      const progress: LoadProgress[] = [];
      const hooks: LoadHooks = {
        tags,
        onMeasureStart: () => events.push('start'),
        onMeasureEnd: () => events.push('end'),
        onProgress: (p) => progress.push(p),
      };
      const engine = createK6Engine({ k6Path: bin });
      expect(engine.name).toBe('k6');
      expect(await engine.version()).toBe('0.48.0');
      const r = await engine.run(target, base, hooks);

      const rec = await readRecord(record);
      expect(rec.args[0]).toBe('run');
      expect(rec.args).toContain('--no-usage-report');
      expect(rec.args[rec.args.indexOf('--out') + 1]).toMatch(/^csv=.*out\.csv$/);
      expect(rec.args).toContain('--summary-export');
      expect(rec.env).toMatchObject({ ...k6Env(target, base, tags), K6_NO_USAGE_REPORT: 'true' });
      expect(rec.env['K6_DURATION']).toBeUndefined();
      expect(rec.scriptText).toContain('constant-arrival-rate');
      // The gRPC message definition k6's Client.load() opens, relative to the script.
      expect(rec.files).toContain('fgrpc-ping.proto');
      expect(rec.scriptText).toMatch(/^import http from "k6\/http";$/m);
      // The temporary directory with script, output and summaries is gone.
      expect(await exists(rec.cwd)).toBe(false);

      expect(r.coordinatedOmissionCorrected).toBe(false);
      expect(r.serviceHistogram).toBeUndefined();
      expect(r.requests).toBe(1001); // warm-up's 201 left out
      expect(r.ok).toBe(1001);
      expect(decodeHistogram(r.histogram).totalCount).toBe(1001);
      expect(r.targetRps).toBe(200);
      expect(r.measureSeconds).toBe(5);
      expect(r.achievedRps).toBeCloseTo(1001 / 5, 9);
      expect(r.dropped).toBe(0);
      // 200 RPS x 100 ms = 20 VUs pre-allocated (more than the tier's 10 connections), up to maxInFlight 50; the
      // recorded run's vus_max (20) comes from its summary. Its CPU is the double's own, not asserted here.
      expect(rec.env['PRE_VUS']).toBe('20');
      expect(rec.env['MAX_VUS']).toBe('50');
      expect(r.k6).toMatchObject({ preAllocatedVUs: 20, maxVUs: 50, vusMax: 20 });
      expect(r.k6?.maxVUsReached).toBeUndefined();
      expect(cellFlags(r)).toEqual([]);
      expect(events).toEqual(['start', 'end']);
      expect(progress.map((p) => p.phase)).toContain('measure');
      expect(progress.at(-1)?.completed).toBe(1202);
    },
  );

  k6Fixtures.it('reports errors by status and kind, and dropped iterations', async () => {
    const errors = await fakeK6({ fixture: 'errors' });
    const e = await createK6Engine({ k6Path: errors.bin }).run(
      target,
      { ...base, rps: 100, durationSec: 3, warmupSec: 0 },
      { tags },
    );
    expect(e.requests).toBe(301);
    expect(e.errors.byStatus).toEqual({ '0': 31, '500': 60 });
    expect(e.errors.byKind).toEqual({ refused: 31 });
    const dropped = await fakeK6({ fixture: 'dropped' });
    const d = await createK6Engine({ k6Path: dropped.bin }).run(
      target,
      { ...base, rps: 100, durationSec: 3, warmupSec: 0, connections: 2, maxInFlight: 2 },
      { tags },
    );
    expect(d.dropped).toBe(200);
    expect(d.achievedRps).toBeCloseTo(101 / 3, 9);
    // k6 logged "Insufficient VUs, reached 2 active VUs" for the measure scenario: k6 was short of VUs.
    expect(d.k6).toMatchObject({ preAllocatedVUs: 2, maxVUs: 2, vusMax: 2, maxVUsReached: true });
    expect(cellFlags(d)).toEqual(['rate-missed', 'dropped', 'k6-short-of-vus']);
    expect(diagnoseK6(d, 0.05)?.fixes[0]).toMatch(/^raise the tier's maxInFlight above 2/);
  });

  k6Fixtures.it(
    'refuses a tier k6 would refuse (0.5 s warm-up) before starting k6; k6 own refusal is reported in its words',
    async () => {
      const { bin, record } = await fakeK6({ fixture: 'scenario-too-short' });
      await expect(
        createK6Engine({ k6Path: bin }).run(
          target,
          { ...base, rps: 50, warmupSec: 0.5, durationSec: 2 },
          { tags },
        ),
      ).rejects.toThrow(/^k6 engine: tier low warms up for 500 ms; k6 refuses scenarios under 1000 ms/);
      expect(await exists(record)).toBe(false); // k6 was never started
      // Should k6 refuse a script anyway (here: the recorded refusal replayed), the cell says what k6 said.
      const replay = await fakeK6({ fixture: 'scenario-too-short', noOutput: true });
      await expect(
        createK6Engine({ k6Path: replay.bin }).run(
          target,
          { ...base, rps: 50, warmupSec: 1, durationSec: 2 },
          { tags },
        ),
      ).rejects.toThrow(
        'k6 exited with code 104 (invalid configuration): There were problems with the specified script configuration:\n\t- scenario warmup has configuration errors: the duration must be at least 1s, but is 500ms',
      );
    },
  );

  k6Fixtures.it("measures k6's own CPU time and the host's over the measure window, from /proc", async () => {
    // The double keeps a core busy for 1.6 s from its first progress line; the 1 s window lies inside that.
    const { bin } = await fakeK6({ fixture: 'ok-200rps', burnMs: 1600 });
    const r = await createK6Engine({ k6Path: bin }).run(
      target,
      { ...base, warmupSec: 0, durationSec: 1 },
      { tags },
    );
    const cpu = r.k6?.cpu;
    expect(cpu?.span).toBe('measure-window');
    expect(cpu?.cores).toBe(availableParallelism());
    expect(cpu?.seconds).toBeGreaterThan(0.8);
    expect(cpu?.seconds).toBeLessThan(1.6);
    // One busy thread: at most one core's worth (plus a 10 ms tick), and most of it even on a busy machine.
    expect(cpu?.k6CpuSeconds).toBeLessThanOrEqual((cpu?.seconds ?? 0) + 0.02);
    expect(cpu?.k6CpuSeconds).toBeGreaterThan(0.5 * (cpu?.seconds ?? 0));
    // The host was busy at least while k6 was.
    expect(cpu?.hostBusyCpuSeconds).toBeGreaterThanOrEqual((cpu?.k6CpuSeconds ?? 0) - 0.02);
  });

  k6Fixtures.it('fails the cell when k6 exits 99, naming the crossed threshold', async () => {
    const { bin, record } = await fakeK6({ fixture: 'threshold-fail' });
    const err = await createK6Engine({ k6Path: bin })
      .run(target, { ...base, rps: 50, durationSec: 2, warmupSec: 0 }, { tags })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      "k6 exited with code 99 (a threshold was crossed) [http_req_duration: p(99)<1]: thresholds on metrics 'http_req_duration' have been crossed",
    );
    expect(await exists((await readRecord(record)).cwd)).toBe(false);
  });

  k6Fixtures.it('fails the cell with k6 own words on a script error', async () => {
    const stderr =
      'time="2026-11-21T22:50:01Z" level=error msg="GoError: meshbench scenario: environment variable TARGETS is not set\\n\\tat file:///tmp/x/constant-arrival-rate.js:52:11(8)\\n" hint="script exception"\n';
    const { bin } = await fakeK6({ fixture: 'ok-200rps', exitCode: 107, stderr, noOutput: true });
    await expect(createK6Engine({ k6Path: bin }).run(target, base, { tags })).rejects.toThrow(
      /^k6 exited with code 107 \(the script threw an exception\): GoError: meshbench scenario: environment variable TARGETS is not set\n\tat file:.*\(script exception\)$/s,
    );
  });

  k6Fixtures.it(
    'fails the cell, naming the file, when k6 exits 0 but its output is cut short or missing',
    async () => {
      const cut = await fakeK6({ fixture: 'ok-200rps', csvFrom: join(FIXTURES, 'truncated', 'out.csv') });
      await expect(createK6Engine({ k6Path: cut.bin }).run(target, base, { tags })).rejects.toThrow(
        /^k6 output \/.*\/out\.csv is cut short/,
      );
      const none = await fakeK6({ fixture: 'ok-200rps', noOutput: true });
      await expect(createK6Engine({ k6Path: none.bin }).run(target, base, { tags })).rejects.toThrow(
        /^k6 exited 0 but wrote no output to \/.*out\.csv$/,
      );
    },
  );

  k6Fixtures.it('fails the cell when k6 is killed by a signal', async () => {
    const { bin } = await fakeK6({ fixture: 'ok-200rps', killSelf: true });
    await expect(createK6Engine({ k6Path: bin }).run(target, base, { tags })).rejects.toThrow(
      /^k6 was killed by SIGKILL/,
    );
  });

  k6Fixtures.it(
    'aborts: SIGINT to k6, then AbortError; SIGKILL when k6 ignores SIGINT; the process is gone either way',
    async () => {
      for (const ignoreSigint of [false, true]) {
        const { bin, record } = await fakeK6({ fixture: 'ok-200rps', hang: true, ignoreSigint });
        const ac = new AbortController();
        const events: string[] = [];
        const started = Date.now();
        const run = createK6Engine({ k6Path: bin, killGraceMs: 300 }).run(
          target,
          { ...base, warmupSec: 60 },
          { tags, signal: ac.signal, onMeasureStart: () => events.push('start') },
        );
        // Abort once the double is up (it has written its record); bounded so a broken engine cannot hang the test.
        for (let i = 0; i < 200 && !(await exists(record)); i++) await new Promise((r) => setTimeout(r, 25));
        ac.abort();
        const err = await run.catch((e: unknown) => e);
        expect((err as Error).name).toBe('AbortError');
        const rec = await readRecord(record);
        expect(await readFile(`${record}.signals`, 'utf8')).toBe('SIGINT\n');
        expect(alive(rec.pid)).toBe(false);
        expect(await exists(rec.cwd)).toBe(false);
        expect(events).toEqual([]); // the measure window never opened
        // 300 ms grace + process start on a loaded 2-core box: well under 10 s, far from the 5 s default grace x2.
        expect(Date.now() - started).toBeLessThan(10_000);
      }
    },
  );

  it('throws EngineUnavailableError with the fix when the k6 binary is missing', async () => {
    const err = await createK6Engine({ k6Path: join(work, 'no-such-k6') })
      .run(target, base, { tags })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineUnavailableError);
    expect((err as EngineUnavailableError).fix).toMatch(/install-k6/);
  });

  k6Fixtures.it('leaves no temporary directory of its own behind', async () => {
    const { bin, record } = await fakeK6({ fixture: 'dropped', exitCode: 1 });
    await expect(createK6Engine({ k6Path: bin }).run(target, base, { tags })).rejects.toThrow(
      /code 1 \(an error\)/,
    );
    const dir = (await readRecord(record)).cwd;
    expect(dirname(dir)).toBe(tmpdir());
    expect(await exists(dir)).toBe(false);
  });
});
