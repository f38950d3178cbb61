import { rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine, LoadHooks } from '../../engines/engine.js';
import { UserError } from '../../errors.js';
import type { ModeDefinition, ModeName } from '../../modes/mode.js';
import type { LatencyResult, ModeTopologyRecord } from '../../results/schema.js';
import type { ResolvedSpec, Tier, TierProtocol } from '../../spec/schema.js';
import type {
  Deployment,
  HoldsModesConcurrently,
  LiveProxy,
  Platform,
  PlatformDescription,
  Sampler,
} from '../platform.js';
import { targetFor } from '../platform.js';
import { nativeBinary } from '../../runtime/native-binary.js';
import {
  APP_IMPLEMENTATIONS,
  appServerCommand,
  protocolAppCommand,
  type AppServerCommand,
} from './app-server-command.js';
import {
  createCertificateAuthority,
  issueLeaf,
  opensslSignsInOneStep,
  spiffeId,
  type CertificateAuthority,
} from './certificates.js';
import {
  listenerKeys,
  renderHaproxyConfig,
  wireTopology,
  type HaproxyProcessConfig,
  type HaproxyTimeouts,
  type Lane,
  type LaneProtocol,
} from './haproxy-config.js';
import {
  killProcessesNow,
  spawnManaged,
  stopProcesses,
  type ManagedProcess,
  type SpawnOptions,
} from './managed-process.js';
import { allocatePorts, isBindFailure } from './ports.js';
import { createProcSampler } from './proc-sampler.js';
import { probeTarget, waitForHaproxy } from './readiness.js';
import { probeOnce } from './protocol-probe.js';
import { assertSafeRunId, newRunDirPath, pidDir, prepareRunDir } from './run-dir.js';
import { assertSocketPathsFit } from './socket-paths.js';
import { LOCAL_EMULATION_NOTE, requireHaproxy, requireOpenssl } from './tooling.js';
import { planTopology, topologyRecord, type TopologyPlan } from './topology-plan.js';

/** A process the local platform runs for a mode, with what tests and diagnostics need to find it. */
export interface LocalProcessInfo {
  /** Proxy id ('client-sidecar', 'ztunnel-node-1', ...), `app-<pod>` or `protocol-app-<pod>` (h2c and gRPC). */
  id: string;
  kind: 'haproxy' | 'app';
  pid: number;
  /** Ports it listens on. */
  ports: number[];
  /** An app's port per protocol it serves. */
  protocolPorts?: Partial<Record<TierProtocol, number>>;
  pod?: string;
  statsSocket?: string;
  configFile?: string;
  /** Its certificate + key (PEM) in modes with mTLS. */
  certFile?: string;
}

export interface LocalDeployment extends Deployment {
  local: {
    runDir: string;
    processes: LocalProcessInfo[];
    /** The run's CA, in modes with mTLS. */
    caFile?: string;
  };
}

export interface LocalPlatform extends Platform, HoldsModesConcurrently {
  readonly runDir: string;
  up(mode: ModeDefinition, signal?: AbortSignal): Promise<LocalDeployment>;
  killNow(): void;
}

interface ModeEntry {
  processes: ManagedProcess[];
  /** Set by down(): anything up() still starts for this entry is stopped at once. */
  cancelled: boolean;
  /** Set when up() failed: likewise. */
  failed?: boolean;
  deployment?: LocalDeployment;
}

/** up() gave way to down(): what up() rejects with, whichever of its steps noticed first. */
class WentDownError extends Error {}

const START_TIMEOUT_MS = 15_000;
const BIND_ATTEMPTS = 3;
// A UNIX socket path is limited to 108 bytes including the NUL (sun_path, unix(7)).
const MAX_SOCKET_PATH = 107;

export function createLocalPlatform(opts: {
  runId: string;
  spec: ResolvedSpec;
  runDir?: string;
  /** CPUs for app servers and proxies (cpu-pinning.ts); absent: unpinned. */
  serverCpus?: number[];
  /** What makes the load: loopback processes run it in this process (or its native core as a child). */
  engine: Engine;
}): LocalPlatform {
  assertSafeRunId(opts.runId);
  const { spec, runId } = opts;
  const runDir = opts.runDir ?? newRunDirPath(runId);
  assertSocketPathsFit(runDir, spec); // before anything starts
  const entries = new Map<ModeName, ModeEntry>();
  let version: Promise<string> | undefined;
  let prepared: Promise<void> | undefined;
  let ca: Promise<CertificateAuthority> | undefined;
  let downing: Promise<void> | undefined;
  let appServer: Promise<AppServerCommand> | undefined;
  let protocolApp: Promise<{ command: string; args: string[] }> | undefined;
  // Protocols the spec's tiers use beside HTTP/1.1: each gets its own listeners and an app port per replica.
  // A spec of HTTP/1.1 tiers only starts exactly what it did before (no protocol app, no extra listeners).
  const laneProtocols: LaneProtocol[] = (['h2c', 'grpc'] as const).filter((p) =>
    spec.tiers.some((t) => t.protocol === p),
  );

  const haproxy = (): Promise<string> => {
    version ??= requireHaproxy(spec.local.haproxy).catch((e: unknown) => {
      version = undefined; // let a later call see a freshly installed binary
      throw e;
    });
    return version;
  };
  /** Once this platform made the run directory, it is its own to remove (again, if up() wrote after down()). */
  let madeRunDir = false;
  /**
   * openssl writing certificates into the run directory: down() lets it finish before removing the directory,
   * or rm would race it (ENOTEMPTY, or a certificate directory recreated after the removal).
   */
  const fileWork = new Set<Promise<unknown>>();
  const tracked = <T>(p: Promise<T>): Promise<T> => {
    fileWork.add(p);
    const done = (): void => void fileWork.delete(p);
    p.then(done, done);
    return p;
  };
  const ensureRunDir = (): Promise<void> =>
    (prepared ??= prepareRunDir(runDir, runId).then(
      () => {
        madeRunDir = true;
      },
      (e: unknown) => {
        prepared = undefined;
        throw e;
      },
    ));
  const ensureCa = (): Promise<CertificateAuthority> =>
    (ca ??= tracked(
      requireOpenssl().then((v) =>
        createCertificateAuthority(join(runDir, 'certs'), opensslSignsInOneStep(v)),
      ),
    ).catch((e: unknown) => {
      ca = undefined; // a later mode may retry once openssl is installed
      throw e;
    }));

  const timeouts: HaproxyTimeouts = {
    connectMs: 5000,
    // Longer than any request may take: the app's delay plus the longest tier's own timeout (the engine
    // times out first and counts it, so HAProxy never turns a slow answer into a 504 of its own).
    idleMs: Math.max(60_000, spec.app.delayMs + Math.max(...spec.tiers.map((t) => t.timeoutMs)) + 5000),
    keepAliveMs: 60_000,
  };

  /** Between steps of up(): stop early when the caller aborted, or when down() ran meanwhile. */
  function checkpoint(entry: ModeEntry, signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (entry.cancelled) throw new WentDownError('local platform went down during up()');
  }

  /** Removes the run directory if this platform made it (a foreign one was refused in prepareRunDir). */
  async function releaseRunDir(): Promise<void> {
    if (prepared) await prepared.catch(() => undefined);
    prepared = undefined;
    ca = undefined;
    appServer = undefined;
    protocolApp = undefined;
    while (fileWork.size > 0) await Promise.allSettled([...fileWork]);
    if (madeRunDir) await rm(runDir, { recursive: true, force: true, maxRetries: 3 });
  }

  async function start(entry: ModeEntry, o: SpawnOptions): Promise<ManagedProcess> {
    const p = await spawnManaged(opts.serverCpus ? { ...o, cpus: opts.serverCpus } : o);
    entry.processes.push(p);
    if (entry.cancelled || entry.failed) {
      await stopProcesses([p]);
      throw new WentDownError(`local platform went down while ${o.name} was starting`);
    }
    return p;
  }

  async function startApps(
    entry: ModeEntry,
    mode: ModeName,
    plan: TopologyPlan,
  ): Promise<Map<string, { p: ManagedProcess; port: number }>> {
    const script = await (appServer ??= appServerCommand(runDir));
    const servers = plan.pods.filter((p) => p.role === 'server');
    const started = await settleAll(
      servers.map(async (pod) => {
        const p = await start(entry, {
          name: `${mode}/app-${pod.name}`,
          command: script.command,
          args: [...script.args, '--port', '0', '--delay-ms', String(spec.app.delayMs)],
          pidDir: pidDir(runDir),
          stdin: 'pipe',
        });
        const port = await p.waitForLine((l) => {
          try {
            const m = JSON.parse(l) as { event?: string; port?: number };
            return m.event === 'listening' ? m.port : undefined;
          } catch {
            return undefined;
          }
        }, START_TIMEOUT_MS);
        return [pod.name, { p, port }] as const;
      }),
    );
    return new Map(started);
  }

  /** The h2c and gRPC app of every server pod (protocol-app.ts), when the spec has tiers of those protocols. */
  async function startProtocolApps(
    entry: ModeEntry,
    mode: ModeName,
    plan: TopologyPlan,
  ): Promise<Map<string, { p: ManagedProcess; ports: Record<LaneProtocol, number> }>> {
    if (laneProtocols.length === 0) return new Map();
    const script = await (protocolApp ??= protocolAppCommand(runDir).catch((e: unknown) => {
      protocolApp = undefined;
      throw e;
    }));
    const servers = plan.pods.filter((p) => p.role === 'server');
    const started = await settleAll(
      servers.map(async (pod) => {
        const p = await start(entry, {
          name: `${mode}/protocol-app-${pod.name}`,
          command: script.command,
          args: [...script.args, '--delay-ms', String(spec.app.delayMs)],
          pidDir: pidDir(runDir),
          stdin: 'pipe',
        });
        const ports = await p.waitForLine((l) => {
          try {
            const m = JSON.parse(l) as { event?: string; h2cPort?: number; grpcPort?: number };
            return m.event === 'listening' && m.h2cPort && m.grpcPort
              ? { h2c: m.h2cPort, grpc: m.grpcPort }
              : undefined;
          } catch {
            return undefined;
          }
        }, START_TIMEOUT_MS);
        return [pod.name, { p, ports }] as const;
      }),
    );
    return new Map(started);
  }

  /** A leaf per proxy of a mode that has an mTLS hop; identities spiffe://cluster.local/ns/<mode>/sa/<proxy>. */
  async function issueCerts(
    entry: ModeEntry,
    plan: TopologyPlan,
    signal: AbortSignal | undefined,
  ): Promise<{ caFile: string; certFiles: Map<string, string> } | undefined> {
    const hops = [...plan.sharedHops, ...[...plan.podHops.values()].flat()];
    if (!hops.some((h) => h.mtls)) return undefined;
    const authority = await ensureCa();
    checkpoint(entry, signal); // no new files once down() began
    const dir = join(runDir, 'certs', plan.mode.name);
    const files = await settleAll(
      plan.proxies.map((p) =>
        tracked(issueLeaf(authority, dir, p.id, spiffeId(plan.mode.name, p.id))).then(
          (f) => [p.id, f] as const,
        ),
      ),
    );
    return { caFile: authority.caFile, certFiles: new Map(files) };
  }

  async function startProxies(
    entry: ModeEntry,
    plan: TopologyPlan,
    appPorts: Map<string, number>,
    lanes: Lane[],
    tls: Awaited<ReturnType<typeof issueCerts>>,
    signal: AbortSignal | undefined,
  ): Promise<{
    configs: HaproxyProcessConfig[];
    procs: Map<string, ManagedProcess>;
    targets: NonNullable<Deployment['targets']>;
    configFiles: Map<string, string>;
  }> {
    const modeDir = join(runDir, plan.mode.name);
    await mkdir(modeDir, { recursive: true });
    const statsSockets = new Map(plan.proxies.map((p) => [p.id, join(modeDir, `${p.id}.sock`)]));
    for (const s of statsSockets.values())
      if (Buffer.byteLength(s) > MAX_SOCKET_PATH)
        throw new UserError(
          `stats socket path too long for a UNIX socket: ${s}`,
          [],
          'use a shorter TMPDIR or runDir',
        );
    const keys = listenerKeys(
      plan,
      lanes.map((l) => l.protocol),
    );
    for (let attempt = 1; ; attempt++) {
      checkpoint(entry, signal);
      const ports = await allocatePorts(keys.length);
      const listenerPorts = new Map(keys.map((k, i) => [k, ports[i] as number]));
      const wiring = wireTopology(plan, {
        listenerPorts,
        appPorts,
        lanes,
        statsSockets,
        threads: spec.local.proxyThreads,
        timeouts,
        ...(tls ? { tls } : {}),
      });
      const procs = new Map<string, ManagedProcess>();
      const configFiles = new Map<string, string>();
      try {
        await settleAll(
          wiring.proxies.map(async (c) => {
            const cfg = join(modeDir, `${c.proxyId}.cfg`);
            configFiles.set(c.proxyId, cfg);
            await writeFile(cfg, renderHaproxyConfig(c));
            // -db: stay in the foreground as one process, so the pid we spawn is the pid that proxies.
            const p = await start(entry, {
              name: `${plan.mode.name}/${c.proxyId}`,
              command: spec.local.haproxy,
              args: ['-db', '-f', cfg],
              pidDir: pidDir(runDir),
              stdin: 'ignore',
            });
            procs.set(c.proxyId, p);
            await waitForHaproxy(
              p,
              c.listeners.map((l) => l.port),
              c.statsSocket,
              START_TIMEOUT_MS,
            );
          }),
        );
        return { configs: wiring.proxies, procs, targets: wiring.targets, configFiles };
      } catch (e) {
        const started = [...procs.values()];
        const bindFailed = started.some((p) => isBindFailure(p.outputTail()));
        if (!bindFailed || attempt >= BIND_ATTEMPTS || entry.cancelled) throw e;
        // Another process took a port between allocation and bind: start this mode's proxies again on fresh ports.
        await stopProcesses(started);
        entry.processes = entry.processes.filter((p) => !started.includes(p));
      }
    }
  }

  async function bringUp(
    mode: ModeDefinition,
    entry: ModeEntry,
    signal: AbortSignal | undefined,
  ): Promise<LocalDeployment> {
    const implementation = `haproxy ${await haproxy()}`;
    checkpoint(entry, signal);
    await ensureRunDir();
    const plan = planTopology(mode, { replicas: spec.app.replicas, nodes: spec.local.nodes });
    const [apps, protocolApps] = await Promise.all([
      startApps(entry, mode.name, plan),
      startProtocolApps(entry, mode.name, plan),
    ]);
    checkpoint(entry, signal);
    const appPorts = new Map([...apps].map(([pod, a]) => [pod, a.port]));
    const lanes: Lane[] = laneProtocols.map((protocol) => ({
      protocol,
      appPorts: new Map([...protocolApps].map(([pod, a]) => [pod, a.ports[protocol]])),
    }));
    const tls = await issueCerts(entry, plan, signal);
    checkpoint(entry, signal);
    const proxies =
      plan.proxies.length > 0 ? await startProxies(entry, plan, appPorts, lanes, tls, signal) : undefined;
    const targets =
      proxies?.targets ??
      wireTopology(plan, {
        listenerPorts: new Map(),
        appPorts,
        lanes,
        statsSockets: new Map(),
        threads: 1,
        timeouts,
      }).targets;
    const target = targets['http/1.1'] as Deployment['target'];
    // End to end, for every protocol: enough fresh connections per endpoint that round-robin reaches every
    // replica at least once.
    await Promise.all(
      Object.values(targets).map((t) =>
        probeTarget(
          t,
          Math.max(1, Math.ceil(spec.app.replicas / t.endpoints.length)),
          START_TIMEOUT_MS,
          () => checkpoint(entry, signal),
          (endpoint, timeoutMs) => probeOnce(endpoint, t.protocol, timeoutMs),
        ),
      ),
    ).catch((e: unknown) => {
      const outputs = entry.processes.map(
        (p) =>
          `--- ${p.name} (pid ${p.pid}${p.hasExited() ? ', exited' : ''}):\n${p.outputTail() || '(no output)'}`,
      );
      throw new Error(
        `${mode.name}: ${(e as Error).message} (path ${plan.path.join(' -> ')})\n${outputs.join('\n')}`,
      );
    });

    const live: LiveProxy[] = plan.proxies.map((p) => {
      const proc = proxies?.procs.get(p.id);
      if (!proc) throw new Error(`${mode.name}: proxy ${p.id} has no process`);
      return { info: { ...p, implementation }, locator: { kind: 'pid', pid: proc.pid } };
    });
    const processes: LocalProcessInfo[] = [
      ...[...apps].map(([pod, a]) => ({
        id: `app-${pod}`,
        kind: 'app' as const,
        pid: a.p.pid,
        ports: [a.port],
        protocolPorts: { 'http/1.1': a.port },
        pod,
      })),
      ...[...protocolApps].map(([pod, a]) => ({
        id: `protocol-app-${pod}`,
        kind: 'app' as const,
        pid: a.p.pid,
        ports: [a.ports.h2c, a.ports.grpc],
        protocolPorts: { ...a.ports },
        pod,
      })),
      ...(proxies?.configs ?? []).map((c) => ({
        id: c.proxyId,
        kind: 'haproxy' as const,
        pid: (proxies?.procs.get(c.proxyId) as ManagedProcess).pid,
        ports: c.listeners.map((l) => l.port),
        statsSocket: c.statsSocket,
        configFile: proxies?.configFiles.get(c.proxyId) as string,
        ...(tls?.certFiles.has(c.proxyId) ? { certFile: tls.certFiles.get(c.proxyId) } : {}),
      })),
    ];
    return {
      mode,
      target,
      targets,
      proxies: live,
      topology: topologyRecord(plan, implementation),
      local: { runDir, processes, ...(tls ? { caFile: tls.caFile } : {}) },
    };
  }

  return {
    name: 'local',
    runDir,

    async describe(): Promise<PlatformDescription> {
      const v = await haproxy();
      // What startApps will run: appServerCommand takes the native app server exactly when it is built.
      const implementation = nativeBinary('app-server') ? 'native' : 'node';
      return {
        proxy: { name: 'haproxy', version: v },
        emulation: LOCAL_EMULATION_NOTE(v),
        app: {
          implementation,
          detail:
            APP_IMPLEMENTATIONS[implementation] +
            (laneProtocols.length > 0
              ? `; ${laneProtocols.join(' and ')} tiers: a Node app beside it (node:http2 for h2c, @grpc/grpc-js for gRPC; app.delayMs held by a timer aimed early and a spin)`
              : ''),
        },
      };
    },

    async up(mode: ModeDefinition, signal?: AbortSignal): Promise<LocalDeployment> {
      if (downing) await downing;
      const existing = entries.get(mode.name);
      if (existing?.deployment) return existing.deployment;
      if (existing) throw new Error(`local platform: mode ${mode.name} is already coming up`);
      const entry: ModeEntry = { processes: [], cancelled: false };
      entries.set(mode.name, entry);
      try {
        entry.deployment = await bringUp(mode, entry, signal);
        return entry.deployment;
      } catch (e) {
        // Leave nothing of a failed mode running; down() still removes the run directory.
        entry.failed = true;
        await stopProcesses(entry.processes);
        if (entries.get(mode.name) === entry) entries.delete(mode.name);
        // down() ran while this mode was coming up and may have finished before this up() created files.
        if (entry.cancelled) {
          if (downing) await downing;
          if (entries.size === 0) await releaseRunDir();
          // What failed after down() began (openssl reading a certificate directory down() removed, a process it
          // stopped) is down()'s consequence: say that, not the symptom, whichever step noticed first.
          if (!(e instanceof WentDownError) && !(e instanceof Error && e.name === 'AbortError'))
            throw new WentDownError('local platform went down during up()', { cause: e });
        }
        throw e;
      }
    },

    async engine(): Promise<{ name: Engine['name']; version: string }> {
      return { name: opts.engine.name, version: await opts.engine.version() };
    },

    load(deployment: Deployment, tier: Tier, hooks: LoadHooks): Promise<LatencyResult> {
      return opts.engine.run(targetFor(deployment, tier), tier, hooks);
    },

    topology(deployment: Deployment): ModeTopologyRecord {
      return structuredClone(deployment.topology);
    },

    sampler(deployment: Deployment): Sampler {
      return createProcSampler(deployment.proxies, spec.local.sampleIntervalMs);
    },

    canHoldAllModes(): { ok: true } {
      // Every mode is a handful of processes on distinct loopback ports: nothing stops them coexisting.
      return { ok: true };
    },

    killNow(): void {
      // A second Ctrl-C: no time to wait for anything. SIGKILL every process, delete the directory.
      for (const e of entries.values()) {
        e.cancelled = true;
        killProcessesNow(e.processes);
      }
      if (madeRunDir) rmSync(runDir, { recursive: true, force: true });
    },

    down(): Promise<void> {
      downing ??= (async () => {
        const all = [...entries.values()];
        entries.clear();
        for (const e of all) e.cancelled = true;
        await stopProcesses(all.flatMap((e) => e.processes));
        await releaseRunDir();
      })().finally(() => {
        downing = undefined;
      });
      return downing;
    },
  };
}

/**
 * Like Promise.all, but waits for every task to settle before rejecting, so that no start-up task is still
 * spawning a process after the caller has cleaned up.
 */
async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
