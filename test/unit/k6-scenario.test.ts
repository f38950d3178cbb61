import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build, type Plugin } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { bundleScenario } from '../../src/engines/k6/bundle.js';
import { K6_ENV, SUMMARY_STDOUT_MARKER } from '../../src/engines/k6/env-keys.js';
import { k6Env, k6Rate } from '../../src/engines/k6/env.js';
import { extractMarkedSummary } from '../../src/engines/k6/summary.js';
import type { Tier } from '../../src/spec/schema.js';
import { readFileSync } from 'node:fs';
import { k6LogMessage } from '../../src/engines/k6/process.js';
import { fitSpecToK6 } from '../../src/engines/k6/scenario-limits.js';
import { k6VuSizing } from '../../src/engines/k6/vu-sizing.js';
import { DEFAULT_SPEC, quickPreset } from '../../src/spec/defaults.js';
import type { ResolvedSpec } from '../../src/spec/schema.js';
import { tierDefaults } from '../../src/spec/tier-defaults.js';
import {
  k6ConfigErrorLine,
  k6PlannedVUs,
  k6ScenarioErrors,
  parseK6Duration,
} from '../helpers/k6-options-check.js';
import { k6Fixtures } from '../helpers/shared-data.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS = join(ROOT, 'scenarios');

const tier: Tier = {
  name: 'medium',
  rps: 500,
  durationSec: 15,
  warmupSec: 5,
  connections: 16,
  payloadBytes: 1024,
  protocol: 'http/1.1',
  maxInFlight: 512,
  timeoutMs: 5000,
};
const target = {
  endpoints: ['http://127.0.0.1:18081/', 'http://127.0.0.1:18082/'],
  protocol: 'http/1.1' as const,
};

interface Call {
  url: string;
  params: { timeout?: number };
}
interface ScenarioModule {
  options: {
    scenarios: Record<string, Record<string, unknown>>;
    tags: Record<string, string>;
    summaryTrendStats: string[];
    systemTags: string[];
    discardResponseBodies: boolean;
  };
  default: () => void;
  handleSummary: (data: unknown) => Record<string, string>;
}

/**
 * Loads the real bundle the engine ships, with test doubles for k6's own modules (k6/http, k6, k6/execution are
 * Go code inside the k6 binary and do not exist in Node). Runs the scenario's init code with a given __ENV.
 */
async function loadBundle(
  env: Record<string, string>,
  response = { status: 200, proto: 'HTTP/1.1' },
  script?: string,
) {
  const source = script ?? (await bundleScenario()).source;
  const calls: Call[] = [];
  const checks: Record<string, boolean>[] = [];
  const exec = { scenario: { iterationInTest: 0 }, vu: { idInTest: 1 } };
  /** What the scenario did with k6/metrics and k6/net/grpc. */
  const metrics: { declared: string[]; added: { name: string; value: number; tags?: object }[] } = {
    declared: [],
    added: [],
  };
  /** `failConnects`: how many next connect() calls throw, as k6's does when nothing listens. */
  const grpcLog = {
    loaded: [] as unknown[][],
    connects: [] as unknown[][],
    invokes: [] as unknown[][],
    failConnects: 0,
  };
  class Metric {
    constructor(readonly name: string) {
      metrics.declared.push(name);
    }
    add(value: number, tags?: object): void {
      metrics.added.push({ name: this.name, value, ...(tags ? { tags } : {}) });
    }
  }
  const stubs: Record<string, unknown> = {
    'k6/http': { get: (url: string, params: Call['params']) => (calls.push({ url, params }), response) },
    'k6/metrics': { Trend: Metric, Counter: Metric },
    'k6/net/grpc': {
      Client: class {
        load(...a: unknown[]): void {
          grpcLog.loaded.push(a);
        }
        connect(...a: unknown[]): void {
          grpcLog.connects.push(a);
          if (grpcLog.failConnects > 0) {
            grpcLog.failConnects--;
            throw new Error('dial tcp: connection refused');
          }
        }
        invoke(...a: unknown[]): object {
          grpcLog.invokes.push(a);
          return { status: 0 };
        }
      },
    },
    k6: {
      check: (res: unknown, sets: Record<string, (r: unknown) => boolean>) => {
        checks.push(Object.fromEntries(Object.entries(sets).map(([k, f]) => [k, f(res)])));
        return true;
      },
    },
    'k6/execution': exec,
  };
  const stubPlugin: Plugin = {
    name: 'k6-stubs',
    setup(b) {
      b.onResolve({ filter: /^k6(\/.*)?$/ }, (a) => ({ path: a.path, namespace: 'k6-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'k6-stub' }, (a) => ({
        contents: `module.exports = __k6stubs[${JSON.stringify(a.path)}];`,
        loader: 'js',
      }));
    },
  };
  const out = await build({
    stdin: { contents: source, loader: 'js' },
    bundle: true,
    format: 'cjs',
    write: false,
    plugins: [stubPlugin],
    logLevel: 'silent',
  });
  const mod = { exports: {} as ScenarioModule };
  vm.runInNewContext(out.outputFiles[0]?.text ?? '', {
    module: mod,
    exports: mod.exports,
    __ENV: env,
    __k6stubs: stubs,
  });
  return { mod: mod.exports, calls, checks, exec, metrics, grpcLog };
}

describe('scenarios/constant-arrival-rate.ts, bundled', () => {
  it('is one plain ES module that imports only k6 modules', async () => {
    const { source, fileName } = await bundleScenario();
    expect(fileName).toBe('constant-arrival-rate.js');
    const imports = [...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['k6', 'k6/execution', 'k6/http', 'k6/metrics', 'k6/net/grpc']);
    // esbuild removed every type: the source parses as JavaScript.
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext },
      reportDiagnostics: true,
      fileName: 'x.js',
    });
    expect(js.diagnostics ?? []).toEqual([]);
    expect(source).not.toMatch(/:\s*(string|number|ScenarioConfig)\b[,;)=]/);
    expect(await bundleScenario()).toBe(await bundleScenario()); // cached per process
  });

  it('builds a warm-up and a measure scenario from the tier', async () => {
    const { mod } = await loadBundle({ ...k6Env(target, tier, { mode: 'baseline', rep: '2' }) });
    const { warmup, measure } = mod.options.scenarios;
    // 500 RPS x 100 ms latency budget = 50 VUs, more than the tier's 16 connections.
    const common = {
      executor: 'constant-arrival-rate',
      rate: 500,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 512,
    };
    // The warm-up stops without grace, so k6 hands its VUs to the measure scenario instead of initialising both.
    expect(warmup).toEqual({
      ...common,
      duration: '5000ms',
      startTime: '0ms',
      gracefulStop: '0ms',
      tags: { phase: 'warmup' },
    });
    expect(measure).toEqual({
      ...common,
      duration: '15000ms',
      startTime: '5000ms',
      gracefulStop: '5000ms',
      tags: { phase: 'measure' },
    });
    expect(k6PlannedVUs(mod.options)).toBe(50);
    expect(mod.options.tags).toEqual({ tier: 'medium', mode: 'baseline', rep: '2' });
    expect(mod.options.summaryTrendStats).toEqual(
      expect.arrayContaining(['p(50)', 'p(90)', 'p(99)', 'p(99.9)']),
    );
    // Ingest reads these tags: they must stay on every sample.
    expect(mod.options.systemTags).toEqual(
      expect.arrayContaining(['scenario', 'status', 'error_code', 'check']),
    );
  });

  it('leaves out the warm-up scenario when the tier has none, and carries fractional rates', async () => {
    const { mod } = await loadBundle(k6Env(target, { ...tier, warmupSec: 0, rps: 0.5 }, {}));
    expect(Object.keys(mod.options.scenarios)).toEqual(['measure']);
    expect(mod.options.scenarios['measure']).toMatchObject({
      rate: 500,
      timeUnit: '1000s',
      startTime: '0ms',
    });
  });

  it('sends requests round robin over the targets, asking for the payload size, with the tier timeout', async () => {
    const { mod, calls, checks, exec } = await loadBundle(k6Env(target, tier, {}));
    for (let i = 0; i < 4; i++) {
      exec.scenario.iterationInTest = i;
      mod.default();
    }
    expect(calls.map((c) => c.url)).toEqual([
      'http://127.0.0.1:18081/?size=1024',
      'http://127.0.0.1:18082/?size=1024',
      'http://127.0.0.1:18081/?size=1024',
      'http://127.0.0.1:18082/?size=1024',
    ]);
    expect(calls.every((c) => c.params.timeout === 5000)).toBe(true);
    expect(checks).toEqual(Array(4).fill({ 'protocol is HTTP/1.1': true }));
  });

  it('checks the protocol of responses only, and flags another protocol', async () => {
    const h2 = await loadBundle(k6Env(target, tier, {}), { status: 200, proto: 'HTTP/2.0' });
    h2.mod.default();
    expect(h2.checks).toEqual([{ 'protocol is HTTP/1.1': false }]);
    const refused = await loadBundle(k6Env(target, tier, {}), { status: 0, proto: '' });
    refused.mod.default();
    expect(refused.checks).toEqual([]);
  });

  it('writes the summary to SUMMARY_PATH and, when asked, to stdout after the marker', async () => {
    const data = { metrics: { http_reqs: { type: 'counter', values: { count: 7, rate: 1 } } } };
    const file = await loadBundle({ ...k6Env(target, tier, {}), [K6_ENV.summaryPath]: '/tmp/s.json' });
    expect(file.mod.handleSummary(data)).toEqual({ '/tmp/s.json': JSON.stringify(data) });
    const both = await loadBundle({ ...k6Env(target, tier, {}), [K6_ENV.summaryStdout]: '1' });
    const out = both.mod.handleSummary(data);
    expect(out['stdout']).toContain(SUMMARY_STDOUT_MARKER);
    expect(extractMarkedSummary(out['stdout'] ?? '')?.requests).toBe(7);
  });

  it('stops in the init context with a message naming a bad or missing variable', async () => {
    const env = k6Env(target, tier, {});
    await expect(loadBundle({ ...env, [K6_ENV.protocol]: 'h2c' })).rejects.toThrow(
      /PROTOCOL=h2c is not supported; .*k6 does not speak HTTP\/2 without TLS/,
    );
    await expect(loadBundle({ ...env, [K6_ENV.noConnectionReuse]: 'yes' })).rejects.toThrow(
      /NO_CONNECTION_REUSE=yes must be 0 or 1/,
    );
    const { [K6_ENV.targets]: _omit, ...noTargets } = env;
    await expect(loadBundle(noTargets)).rejects.toThrow(/TARGETS is not set/);
    await expect(loadBundle({ ...env, [K6_ENV.maxVUs]: '2' })).rejects.toThrow(
      /MAX_VUS=2 is below PRE_VUS=50/,
    );
    await expect(loadBundle({ ...env, [K6_ENV.targets]: 'localhost:80' })).rejects.toThrow(
      /not an http\(s\) URL/,
    );
  });
});

describe('k6Env', () => {
  it('sets every variable the scenario reads', () => {
    expect(k6Env(target, tier, { mode: 'istio-ambient', rep: '1' })).toEqual({
      TARGETS: 'http://127.0.0.1:18081/,http://127.0.0.1:18082/',
      RATE: '500',
      TIME_UNIT: '1s',
      DURATION_MS: '15000',
      WARMUP_MS: '5000',
      PRE_VUS: '50',
      MAX_VUS: '512',
      PAYLOAD_BYTES: '1024',
      PROTOCOL: 'http/1.1',
      NO_CONNECTION_REUSE: '0',
      TIMEOUT_MS: '5000',
      TAGS: '{"tier":"medium","mode":"istio-ambient","rep":"1"}',
    });
  });

  it.each([
    [50, 50, '1s'],
    [0.5, 500, '1000s'],
    [12.25, 12250, '1000s'],
  ])('k6Rate(%s) = %s per %s, the same arrival spacing', (rps, rate, unit) => {
    expect(k6Rate(rps)).toEqual({ rate, timeUnit: unit });
    expect(Number.parseInt(unit, 10) / rate).toBeCloseTo(1 / rps, 9);
  });

  it('never asks k6 for fewer max VUs than pre-allocated ones', () => {
    expect(k6Env(target, { ...tier, connections: 32, maxInFlight: 8 }, {})['MAX_VUS']).toBe('32');
  });

  it('refuses tags that would corrupt ingest, and endpoints with commas', () => {
    expect(() => k6Env(target, tier, { phase: 'x' })).toThrow(/tag "phase" is reserved/);
    expect(() => k6Env({ ...target, endpoints: ['http://a/?x=1,2'] }, tier, {})).toThrow(/contains a comma/);
    expect(() => k6Env({ ...target, endpoints: [] }, tier, {})).toThrow(/no endpoint/);
  });
});

describe('scenarios type-check against @types/k6', () => {
  it('tsc -p scenarios/tsconfig.json passes', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(SCENARIOS, 'tsconfig.json')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the same configuration rejects a script that misuses the k6 API (so the types are really in force)', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(SCENARIOS, 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!config) throw new Error('scenarios/tsconfig.json did not parse');
    // A file that exists only in memory, placed in scenarios/ so that it resolves k6 the way the real ones do.
    const bad = join(SCENARIOS, '__typecheck_probe__.ts');
    const text =
      "import http from 'k6/http';\nexport default function (): void { http.get(42); __ENV.X.length; }\n";
    const host = ts.createCompilerHost(config.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      name === bad ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === bad || fileExists(name);
    const program = ts.createProgram([bad], config.options, host);
    const messages = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages.some((m) => /number.*not assignable.*string/s.test(m))).toBe(true); // http.get's url
    expect(messages.some((m) => /possibly 'undefined'/.test(m))).toBe(true); // __ENV values under noUncheckedIndexedAccess
  });
});

/**
 * Every scenario meshbench generates must pass k6's own option checks, or k6 exits 104 before any request
 * (shared/fixtures/k6/scenario-too-short). k6 cannot be installed here, so the checks are a stand-in written from
 * k6's source (test/helpers/k6-options-check.ts), held to a real k6's refusal first.
 */
describe("the scenarios k6 gets pass k6's option checks", () => {
  k6Fixtures.it(
    'the stand-in refuses the recorded too-short script with the words a real k6 v0.48 printed',
    async () => {
      const script = readFileSync(k6Fixtures.file('scenario-too-short', 'script.js'), 'utf8');
      const stderr = readFileSync(k6Fixtures.file('scenario-too-short', 'stderr.txt'), 'utf8');
      const { mod } = await loadBundle({}, undefined, script);
      const errors = k6ScenarioErrors(mod.options);
      expect(errors).toEqual([
        'scenario warmup has configuration errors: the duration must be at least 1s, but is 500ms',
      ]);
      expect(k6LogMessage(stderr)).toBe(
        `There were problems with the specified script configuration:\n\t- ${errors[0]}`,
      );
      expect(k6LogMessage(k6ConfigErrorLine(errors))).toBe(k6LogMessage(stderr));
    },
  );

  it("a 0.5 s warm-up in meshbench's scenario is what k6 refused in the recorded --quick run", async () => {
    // k6Env itself no longer hands k6 such a warm-up (below); forced through, the scenario gets k6's refusal.
    const quickLow = quickPreset(DEFAULT_SPEC).tiers[0]!;
    expect(quickLow.warmupSec).toBe(0.5);
    expect(() => k6Env(target, quickLow, {})).toThrow(
      /warms up for 500 ms; k6 refuses scenarios under 1000 ms/,
    );
    const env = { ...k6Env(target, { ...quickLow, warmupSec: 1 }, {}), [K6_ENV.warmupMs]: '500' };
    const { mod } = await loadBundle(env);
    expect(k6ScenarioErrors(mod.options)).toEqual([
      'scenario warmup has configuration errors: the duration must be at least 1s, but is 500ms',
    ]);
  });

  const custom = (rps: number, warmupSec: number): Tier => ({
    ...(tierDefaults(`t${rps}`, rps) as Omit<Tier, 'name' | 'rps'>),
    name: `t${String(rps).replace('.', '-')}`,
    rps,
    durationSec: 2,
    warmupSec,
  });
  const specs: [string, ResolvedSpec][] = [
    ['the default spec', DEFAULT_SPEC],
    ['--quick', quickPreset(DEFAULT_SPEC)],
    [
      'rates from 0.5 to 5000 RPS with warm-ups of 0, 0.2, 0.5, 0.999, 1.5 s',
      {
        ...DEFAULT_SPEC,
        tiers: [0.5, 1, 10, 200, 1000, 2000, 5000].flatMap((rps) =>
          [0, 0.2, 0.5, 0.999, 1.5].map((w) => ({ ...custom(rps, w), name: `r${rps * 10}-w${w * 1000}` })),
        ),
      },
    ],
    [
      '--quick on kubernetes with 3 load pods',
      {
        ...quickPreset(DEFAULT_SPEC),
        platform: 'kubernetes',
        kubernetes: { ...DEFAULT_SPEC.kubernetes, k6Parallelism: 3 },
      },
    ],
  ];
  it.each(specs)(
    '%s: every scenario >= 1 s, k6 checks pass, pre-allocated VUs cover rate x 100 ms and are initialised once',
    async (_name, input) => {
      const { spec } = fitSpecToK6(input);
      const pods = spec.platform === 'kubernetes' ? spec.kubernetes.k6Parallelism : 1;
      for (const t of spec.tiers) {
        const vus = k6VuSizing(t, { appDelayMs: spec.app.delayMs, parallelism: pods });
        const { mod } = await loadBundle(k6Env(target, t, { mode: 'baseline', rep: '1' }, vus));
        const scenarios = Object.values(mod.options.scenarios);
        expect(k6ScenarioErrors(mod.options), t.name).toEqual([]);
        for (const sc of scenarios) expect(parseK6Duration(sc['duration'])).toBeGreaterThanOrEqual(1000);
        // A warm-up is either absent or at least 1 s; the measure window is exactly the tier's.
        expect(Object.keys(mod.options.scenarios)).toEqual(
          t.warmupSec > 0 ? ['warmup', 'measure'] : ['measure'],
        );
        expect(parseK6Duration(mod.options.scenarios['measure']?.['duration'])).toBe(t.durationSec * 1000);
        expect(mod.options.scenarios['measure']?.['preAllocatedVUs']).toBeGreaterThanOrEqual(
          Math.min(Math.ceil(t.rps * 0.1), t.maxInFlight),
        );
        // k6 initialises the pre-allocated VUs once: the warm-up hands its VUs over instead of overlapping.
        expect(k6PlannedVUs(mod.options)).toBe(vus.preAllocatedVUs);
        // Each load pod gets an equal whole share of the VUs (k6 scales them per execution segment).
        expect(vus.preAllocatedVUs % pods).toBe(0);
        expect(vus.maxVUs % pods).toBe(0);
      }
    },
  );
});

describe('the scenario for gRPC and connection-churn tiers', () => {
  const grpcTier: Tier = { ...tier, protocol: 'grpc', payloadBytes: 16 };
  const churnTier: Tier = { ...tier, requestsPerConnection: 1 };
  const fortio = { endpoints: ['http://fortio.ns.svc:8079/?delay=2ms'], protocol: 'grpc' as const };

  it('k6Env passes the protocol, churn and, for gRPC, host:port targets and the app delay as delayNanos', () => {
    const env = k6Env(fortio, grpcTier, {});
    expect(env[K6_ENV.protocol]).toBe('grpc');
    expect(env[K6_ENV.targets]).toBe('fortio.ns.svc:8079');
    expect(env[K6_ENV.grpcDelayNanos]).toBe('2000000');
    expect(env[K6_ENV.noConnectionReuse]).toBe('0');
    expect(k6Env(target, churnTier, {})[K6_ENV.noConnectionReuse]).toBe('1');
    // A plain tier gets no gRPC variable at all.
    expect(Object.keys(k6Env(target, tier, {}))).not.toContain(K6_ENV.grpcDelayNanos);
  });

  it('k6Env refuses what k6 cannot run, even if a caller skipped the support check', () => {
    expect(() => k6Env(target, { ...tier, protocol: 'h2c' }, {})).toThrow(
      /k6 does not speak HTTP\/2 without TLS/,
    );
    expect(() => k6Env(target, { ...tier, requestsPerConnection: 5 }, {})).toThrow(/5 request\(s\) per/);
    expect(() => k6Env(fortio, { ...grpcTier, requestsPerConnection: 1 }, {})).toThrow(/grpc connection/);
  });

  it('a gRPC tier loads the proto in the init context and calls fgrpc.PingServer/Ping over one connection per VU', async () => {
    const { mod, calls, grpcLog, exec, metrics } = await loadBundle(
      k6Env({ endpoints: ['http://a:8079/', 'http://b:8079/'], protocol: 'grpc' }, grpcTier, {}),
    );
    expect(grpcLog.loaded).toEqual([[[], 'fgrpc-ping.proto']]);
    expect(metrics.declared).toEqual(['meshbench_grpc_connect_failures']);
    exec.vu.idInTest = 3;
    mod.default();
    mod.default();
    mod.default();
    // VU 3 of two targets: b; connected once, kept for every later call; plaintext (HTTP/2 without TLS).
    expect(grpcLog.connects).toEqual([['b:8079', { plaintext: true, timeout: '5000ms' }]]);
    expect(grpcLog.invokes).toHaveLength(3);
    expect(grpcLog.invokes[0]).toEqual([
      'fgrpc.PingServer/Ping',
      { payload: 'x'.repeat(16), delayNanos: '0' },
      { timeout: '5000ms' },
    ]);
    expect(calls).toEqual([]);
    expect(mod.options).not.toHaveProperty('noConnectionReuse');
  });

  it('counts a gRPC call whose connection could not be opened, and tries again on the next call', async () => {
    const env = k6Env(fortio, grpcTier, {});
    const loaded = await loadBundle(env);
    loaded.grpcLog.failConnects = 1;
    loaded.mod.default();
    expect(loaded.metrics.added).toEqual([{ name: 'meshbench_grpc_connect_failures', value: 1 }]);
    expect(loaded.grpcLog.invokes).toHaveLength(0);
    loaded.mod.default();
    expect(loaded.grpcLog.connects).toHaveLength(2);
    expect(loaded.grpcLog.invokes).toHaveLength(1);
  });

  it('a churn tier sets noConnectionReuse and records latency with connection set-up, tagged like http_req_duration', async () => {
    const timings = { blocked: 0.25, connecting: 0.5, tls_handshaking: 0, duration: 1.25 };
    const { mod, metrics, calls } = await loadBundle(k6Env(target, churnTier, {}), {
      status: 200,
      proto: 'HTTP/1.1',
      error_code: 0,
      timings,
    } as never);
    expect(mod.options).toMatchObject({ noConnectionReuse: true });
    expect(metrics.declared).toEqual(['meshbench_req_duration']);
    mod.default();
    expect(calls).toHaveLength(1);
    expect(metrics.added).toEqual([
      { name: 'meshbench_req_duration', value: 2, tags: { status: '200', error_code: '0' } },
    ]);
  });

  it('a plain HTTP/1.1 keep-alive tier declares no extra metric and keeps connections', async () => {
    const { mod, metrics, grpcLog } = await loadBundle(k6Env(target, tier, {}));
    expect(metrics.declared).toEqual([]);
    expect(grpcLog.loaded).toEqual([]);
    expect(mod.options).not.toHaveProperty('noConnectionReuse');
  });

  it('refuses a gRPC target that is not host:port, and churn over gRPC', async () => {
    const env = k6Env(fortio, grpcTier, {});
    await expect(loadBundle({ ...env, [K6_ENV.targets]: 'http://a:1/' })).rejects.toThrow(
      /not a host:port address for gRPC/,
    );
    await expect(loadBundle({ ...env, [K6_ENV.noConnectionReuse]: '1' })).rejects.toThrow(
      /NO_CONNECTION_REUSE=1 is not supported for grpc/,
    );
  });
});
