/**
 * A stand-in for the k6 BINARY, for end-to-end runs where k6 cannot be installed (bundled by build.ts into one
 * file that needs only Node). It is strict where k6 is strict and plain where the figures do not matter:
 * - `k6 version` answers like k6 v0.48;
 * - `k6 run [--out csv=F] [--summary-export F] script.js` evaluates the script (k6's modules replaced by small
 *   stand-ins, __ENV = the environment), checks `options.scenarios` as k6 does before any request
 *   (k6-options-check.ts: a scenario under 1 s exits 104 with k6's message) and, when they pass, runs them in real
 *   time: each arrival of each constant-arrival-rate scenario calls the script's default function, whose
 *   http.get is then sent for real to the URL it asked for (keep-alive, its timeout), at most maxVUs at once
 *   (an arrival with no free VU is dropped and a VU started, like k6). It writes k6's CSV rows for what the
 *   ingest reads, prints progress lines, and calls handleSummary.
 * `noConnectionReuse: true` in the options makes every request open its own connection (`Connection: close`, as Go
 * does with keep-alives disabled), and a Trend or Counter the script adds to (k6/metrics) gets a row per request
 * with the request's status, error_code and time from send to response: for the churn metric, that includes the
 * connection set-up, as k6's blocked + connecting + duration does. It does not speak gRPC: a script that loads a
 * proto (k6/net/grpc) stops with a script exception.
 * Latency figures from it are a Node client's, not k6's. FAKE_K6_LOG (a file) gets one JSON line per run with the
 * scenarios it was given and the VUs it initialised.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { K6_CSV_HEADER } from '../k6-csv-sample.js';
import { k6ConfigErrorLine, k6PlannedVUs, k6ScenarioErrors, parseK6Duration } from '../k6-options-check.js';

const VERSION = 'k6 v0.48.0 (meshbench test double: checks options like k6, sends real requests)';

type Scenarios = Record<string, Record<string, unknown>>;
interface ScriptModule {
  options?: { scenarios?: Scenarios; tags?: Record<string, string>; noConnectionReuse?: boolean };
  default: () => void;
  handleSummary?: (data: unknown) => Record<string, string>;
}
interface Captured {
  url: string;
  timeout?: number;
  checks: Record<string, (r: unknown) => boolean>[];
  /** Custom metrics the script added to for this request: written when its response arrives. */
  metrics: string[];
}

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const logfmtTime = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** What k6's own modules do for the script, seen through the stand-ins written by loadScript(). */
const state = {
  exec: { scenario: { name: '', iterationInTest: 0 }, vu: { idInTest: 1 } },
  captured: undefined as Captured | undefined,
};
(globalThis as Record<string, unknown>)['__fakeK6'] = {
  exec: state.exec,
  get(url: string, params?: { timeout?: number }) {
    state.captured = {
      url,
      ...(params?.timeout ? { timeout: params.timeout } : {}),
      checks: [],
      metrics: [],
    };
    // The response the script sees at once; its checks are run again on the real response when it arrives.
    return {
      status: 200,
      proto: 'HTTP/1.1',
      error_code: 0,
      timings: { blocked: 0, connecting: 0, tls_handshaking: 0, duration: 0 },
    };
  },
  metric(name: string) {
    return {
      add() {
        state.captured?.metrics.push(name);
      },
    };
  },
  grpcClient() {
    return {
      load() {
        throw new Error('the k6 test double does not speak gRPC (k6/net/grpc)');
      },
    };
  },
  check(_res: unknown, sets: Record<string, (r: unknown) => boolean>) {
    state.captured?.checks.push(sets);
    return true;
  },
};

async function loadScript(path: string): Promise<ScriptModule> {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-fake-k6-'));
  try {
    writeFileSync(join(dir, 'k6.mjs'), 'export const check = (r, s) => globalThis.__fakeK6.check(r, s);\n');
    writeFileSync(
      join(dir, 'k6-http.mjs'),
      'export default { get: (u, p) => globalThis.__fakeK6.get(u, p) };\n',
    );
    writeFileSync(join(dir, 'k6-execution.mjs'), 'export default globalThis.__fakeK6.exec;\n');
    writeFileSync(
      join(dir, 'k6-metrics.mjs'),
      'export class Trend { constructor(n) { return globalThis.__fakeK6.metric(n); } }\n' +
        'export class Counter { constructor(n) { return globalThis.__fakeK6.metric(n); } }\n',
    );
    writeFileSync(
      join(dir, 'k6-net-grpc.mjs'),
      'export default { Client: class { constructor() { return globalThis.__fakeK6.grpcClient(); } } };\n',
    );
    const source = readFileSync(path, 'utf8').replace(
      /from\s*["'](k6(?:\/[a-z]+)*)["']/g,
      (_m, mod: string) => {
        const file = {
          k6: 'k6.mjs',
          'k6/http': 'k6-http.mjs',
          'k6/execution': 'k6-execution.mjs',
          'k6/metrics': 'k6-metrics.mjs',
          'k6/net/grpc': 'k6-net-grpc.mjs',
        }[mod];
        if (file === undefined) throw new Error(`the k6 test double has no module ${mod}`);
        return `from "./${file}"`;
      },
    );
    writeFileSync(join(dir, 'script.mjs'), source);
    (globalThis as Record<string, unknown>)['__ENV'] = { ...process.env };
    return (await import(pathToFileURL(join(dir, 'script.mjs')).href)) as ScriptModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One CSV row in k6 v0.48's column order (K6_CSV_HEADER), with the system tags the scenario keeps. */
function row(r: {
  metric: string;
  value: number;
  check?: string;
  error?: string;
  code?: number;
  expected?: boolean;
  scenario?: string;
  status?: number;
  extra: string;
}): string {
  return [
    r.metric,
    Math.floor(Date.now() / 1000),
    r.value.toFixed(6),
    r.check ?? '',
    r.error ?? '',
    r.code ?? '',
    r.expected === undefined ? '' : String(r.expected),
    '',
    '',
    '',
    '',
    r.scenario ?? '',
    '',
    r.status ?? '',
    '',
    '',
    '',
    r.extra,
    '',
  ].join(',');
}

const tagString = (tags: Record<string, string>): string =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

function errorCode(e: NodeJS.ErrnoException): number {
  // grafana/k6 lib/netext/httpext/error_codes.go
  if (e.code === 'ECONNREFUSED') return 1212;
  if (e.code === 'ETIMEDOUT') return 1050;
  if (e.code === 'ECONNRESET') return 1220;
  return 1000;
}

async function run(): Promise<number> {
  const script = args.at(-1) ?? '';
  const csvPath = (opt('--out') ?? '').replace(/^csv=/, '');
  let mod: ScriptModule;
  try {
    mod = await loadScript(script);
  } catch (e) {
    process.stderr.write(
      `time="${logfmtTime()}" level=error msg="GoError: ${(e as Error).message.replace(/"/g, '\\"')}" hint="script exception"\n`,
    );
    return 107;
  }
  const options = mod.options ?? {};
  const errors = k6ScenarioErrors(options);
  const planned = k6PlannedVUs(options);
  if (process.env['FAKE_K6_LOG'])
    appendFileSync(
      process.env['FAKE_K6_LOG'],
      `${JSON.stringify({ scenarios: options.scenarios ?? {}, plannedVUs: planned, errors })}\n`,
    );
  if (errors.length > 0) {
    process.stderr.write(`${k6ConfigErrorLine(errors)}\n`);
    return 104;
  }

  const testTags = options.tags ?? {};
  const scenarios = Object.entries(options.scenarios ?? {}).map(([name, sc]) => {
    const rate = Number(sc['rate']);
    const timeUnit = parseK6Duration(sc['timeUnit'] ?? '1s') ?? 1000;
    const durationMs = parseK6Duration(sc['duration']) ?? 0;
    const periodMs = timeUnit / rate;
    const pre = Number(sc['preAllocatedVUs']);
    return {
      name,
      startMs: parseK6Duration(sc['startTime'] ?? '0s') ?? 0,
      periodMs,
      count: Math.ceil(durationMs / periodMs),
      next: 0,
      vus: pre,
      maxVUs: Number(sc['maxVUs'] ?? pre),
      busy: 0,
      warned: false,
      extra: tagString({ ...testTags, ...((sc['tags'] as Record<string, string> | undefined) ?? {}) }),
    };
  });
  const rows: string[] = [K6_CSV_HEADER];
  const reuse = options.noConnectionReuse !== true;
  const agent = new http.Agent({ keepAlive: reuse });
  let vusMax = planned;
  let completed = 0;
  let inFlight = 0;
  let requests = 0;
  let dropped = 0;
  const checkTotals = new Map<string, { passes: number; fails: number }>();
  let iterationInTest = 0;
  let stopped = false;
  const t0 = performance.now();

  const arrive = (sc: (typeof scenarios)[number]): void => {
    if (sc.busy >= sc.vus) {
      dropped++;
      rows.push(row({ metric: 'dropped_iterations', value: 1, scenario: sc.name, extra: sc.extra }));
      if (sc.vus < sc.maxVUs) {
        // k6 starts one more VU in the background after dropping this arrival: an idle one a finished scenario
        // handed back, else a new one (vus_max counts every VU initialised).
        sc.vus++;
        const held = scenarios.reduce((n, x) => n + (x.next < x.count || x.busy > 0 ? x.vus : 0), 0);
        vusMax = Math.max(vusMax, held);
      } else if (!sc.warned) {
        sc.warned = true;
        process.stderr.write(
          `time="${logfmtTime()}" level=warning msg="Insufficient VUs, reached ${sc.maxVUs} active VUs and cannot initialize more" executor=constant-arrival-rate scenario=${sc.name}\n`,
        );
      }
      return;
    }
    state.exec.scenario.name = sc.name;
    state.exec.vu.idInTest = sc.busy + 1;
    state.exec.scenario.iterationInTest = iterationInTest++;
    state.captured = undefined;
    mod.default();
    const req = state.captured as Captured | undefined;
    if (req === undefined) {
      completed++;
      return;
    }
    sc.busy++;
    inFlight++;
    const sent = performance.now();
    const done = (status: number, proto: string, err?: NodeJS.ErrnoException): void => {
      const ms = performance.now() - sent;
      sc.busy--;
      inFlight--;
      completed++;
      requests++;
      const expected = status >= 200 && status < 400;
      const common = {
        scenario: sc.name,
        status,
        expected,
        extra: sc.extra,
        ...(err ? { error: 'request failed', code: errorCode(err) } : {}),
      };
      rows.push(row({ metric: 'http_reqs', value: 1, ...common }));
      rows.push(row({ metric: 'http_req_duration', value: ms, ...common }));
      for (const name of req.metrics)
        rows.push(row({ metric: name, value: ms, ...common, code: common.code ?? 0 }));
      if (status === 0) return;
      for (const sets of req.checks)
        for (const [name, fn] of Object.entries(sets)) {
          const ok = fn({ status, proto });
          const t = checkTotals.get(name) ?? { passes: 0, fails: 0 };
          if (ok) t.passes++;
          else t.fails++;
          checkTotals.set(name, t);
          rows.push(
            row({ metric: 'checks', value: ok ? 1 : 0, check: name, scenario: sc.name, extra: sc.extra }),
          );
        }
    };
    const r = http.get(
      req.url,
      { agent, timeout: req.timeout, ...(reuse ? {} : { headers: { connection: 'close' } }) },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0, `HTTP/${res.httpVersion}`));
        res.on('error', (e) => done(0, '', e));
      },
    );
    r.on('timeout', () => r.destroy(Object.assign(new Error('request timeout'), { code: 'ETIMEDOUT' })));
    r.on('error', (e: NodeJS.ErrnoException) => done(0, '', e));
  };

  const progress = setInterval(() => {
    const s = (performance.now() - t0) / 1000;
    process.stdout.write(
      `running (${s.toFixed(1).padStart(4, '0')}s), ${inFlight}/${vusMax} VUs, ${completed} complete and 0 interrupted iterations\n`,
    );
    rows.push(row({ metric: 'vus_max', value: vusMax, extra: tagString(testTags) }));
  }, 1000);
  process.once('SIGINT', () => {
    stopped = true;
  });

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now() - t0;
      let nextDue = Infinity;
      for (const sc of scenarios) {
        while (!stopped && sc.next < sc.count && sc.startMs + sc.next * sc.periodMs <= now) {
          arrive(sc);
          sc.next++;
        }
        if (sc.next < sc.count) nextDue = Math.min(nextDue, sc.startMs + sc.next * sc.periodMs);
      }
      if (stopped || nextDue === Infinity) return resolve();
      setTimeout(tick, Math.max(0, nextDue - now));
    };
    tick();
  });
  // Requests in flight finish (gracefulStop), bounded.
  const until = performance.now() + 10_000;
  while (inFlight > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
  clearInterval(progress);
  agent.destroy();
  rows.push(row({ metric: 'vus_max', value: vusMax, extra: tagString(testTags) }));
  if (csvPath !== '') writeFileSync(csvPath, `${rows.join('\n')}\n`);

  const seconds = (performance.now() - t0) / 1000;
  const checks = [...checkTotals].map(([name, t]) => ({ name, path: `::${name}`, id: name, ...t }));
  const counter = (count: number) => ({
    type: 'counter',
    contains: 'default',
    values: { count, rate: count / seconds },
  });
  const data = {
    metrics: {
      http_reqs: counter(requests),
      ...(dropped > 0 ? { dropped_iterations: counter(dropped) } : {}),
      vus_max: { type: 'gauge', contains: 'default', values: { value: vusMax, min: planned, max: vusMax } },
    },
    root_group: { name: '', path: '', id: 'root', groups: [], checks },
    state: { testRunDurationMs: seconds * 1000 },
  };
  const exported = opt('--summary-export');
  if (exported !== undefined)
    writeFileSync(
      exported,
      JSON.stringify({
        metrics: {
          http_reqs: data.metrics.http_reqs.values,
          ...(dropped > 0 ? { dropped_iterations: counter(dropped).values } : {}),
          vus_max: data.metrics.vus_max.values,
        },
        root_group: { checks: Object.fromEntries(checks.map((c) => [c.name, c])) },
      }),
    );
  for (const [where, content] of Object.entries(mod.handleSummary?.(data) ?? {})) {
    if (where === 'stdout') process.stdout.write(content);
    else writeFileSync(where, content);
  }
  process.stdout.write(
    `\nrunning (${seconds.toFixed(1)}s), 0/${vusMax} VUs, ${completed} complete and 0 interrupted iterations\n`,
  );
  return stopped ? 105 : 0;
}

if (args[0] === 'version') {
  process.stdout.write(`${VERSION}\n`);
} else if (args[0] === 'run') {
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`time="${logfmtTime()}" level=error msg="${String(e)}"\n`);
      process.exitCode = 1;
    },
  );
} else {
  process.stderr.write(`the k6 test double only knows 'version' and 'run', not ${args.join(' ')}\n`);
  process.exitCode = 1;
}
