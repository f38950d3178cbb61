import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { LoadHooks } from '../../engines/engine.js';
import { describeK6Exit } from '../../engines/k6/error-codes.js';
import type { LatencyResult } from '../../results/schema.js';
import type { Tier } from '../../spec/schema.js';
import { applyAll } from './apply.js';
import type { KubeClients } from './client.js';
import { apiErrorMessage, isNotFound } from './client.js';
import { latencyFromReduced, parseReducedLog, type ReducedK6 } from './collect.js';
import { describePod, diagnose } from './diagnose.js';
import type { K8sObject } from './manifest-files.js';
import { pollUntil } from './poll.js';
import type { RenderContext } from './render-context.js';
import { K6_CONTAINER, LOAD_LABEL, REDUCER_CONTAINER } from './render-load.js';
import { clusterVuSizing, renderLoad, type LoadKind } from './render.js';

export interface LoadRun {
  clients: KubeClients;
  ctx: RenderContext;
  tier: Tier;
  repetition: number;
  scriptFile: string;
  kind: LoadKind;
  hooks: LoadHooks;
  intervalMs: number;
  /** How long load pods may take to start (image pull, injection): the spec's readiness timeout. */
  startTimeoutMs: number;
  /** Called once every load pod runs k6: verify enrolment, register client-side proxies. May throw. */
  onPodsRunning?: (pods: V1Pod[]) => void;
}

const TESTRUN_PLURAL = 'testruns';

function containerStatus(p: V1Pod, name: string): V1ContainerStatus | undefined {
  return [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find(
    (s) => s.name === name,
  );
}

function started(p: V1Pod, name: string): boolean {
  const s = containerStatus(p, name);
  return s?.state?.running !== undefined || s?.state?.terminated !== undefined;
}

function terminated(p: V1Pod, name: string): { exitCode: number; reason?: string } | undefined {
  const t = containerStatus(p, name)?.state?.terminated;
  return t ? { exitCode: t.exitCode, ...(t.reason ? { reason: t.reason } : {}) } : undefined;
}

/** A pod that can never run k6: image pull or config errors, or a pod the Job controller gave up on. */
function stuck(p: V1Pod): string | undefined {
  if (p.status?.phase === 'Failed' && !terminated(p, K6_CONTAINER)) return describePod(p);
  const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  const bad = statuses.find((s) =>
    [
      'ErrImagePull',
      'ImagePullBackOff',
      'CreateContainerConfigError',
      'InvalidImageName',
      'CrashLoopBackOff',
    ].includes(s.state?.waiting?.reason ?? ''),
  );
  return bad ? describePod(p) : undefined;
}

async function deleteLoadObject(clients: KubeClients, obj: K8sObject): Promise<void> {
  const ns = obj.metadata.namespace ?? '';
  try {
    if (obj.kind === 'Job')
      await clients.batch.deleteNamespacedJob({
        name: obj.metadata.name,
        namespace: ns,
        propagationPolicy: 'Background',
      });
    else
      await clients.custom.deleteNamespacedCustomObject({
        group: 'k6.io',
        version: 'v1alpha1',
        namespace: ns,
        plural: TESTRUN_PLURAL,
        name: obj.metadata.name,
      });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

async function exists(clients: KubeClients, obj: K8sObject): Promise<boolean> {
  const ns = obj.metadata.namespace ?? '';
  try {
    if (obj.kind === 'Job') await clients.batch.readNamespacedJob({ name: obj.metadata.name, namespace: ns });
    else
      await clients.custom.getNamespacedCustomObject({
        group: 'k6.io',
        version: 'v1alpha1',
        namespace: ns,
        plural: TESTRUN_PLURAL,
        name: obj.metadata.name,
      });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Opens and closes the measure window from the time k6 was seen starting (see docs/KUBERNETES.md for the error). */
function measureTimers(tier: Tier, hooks: LoadHooks): { arm(): void; finish(): void; cancel(): void } {
  let t1: NodeJS.Timeout | undefined;
  let t2: NodeJS.Timeout | undefined;
  let opened = false;
  let closed = false;
  const open = () => {
    if (opened) return;
    opened = true;
    hooks.onMeasureStart?.();
  };
  const close = () => {
    if (closed) return;
    open();
    closed = true;
    hooks.onMeasureEnd?.();
  };
  const clear = () => {
    if (t1) clearTimeout(t1);
    if (t2) clearTimeout(t2);
  };
  return {
    arm() {
      if (t1 || opened) return;
      t1 = setTimeout(open, tier.warmupSec * 1000);
      t2 = setTimeout(close, (tier.warmupSec + tier.durationSec) * 1000);
    },
    finish() {
      clear();
      close();
    },
    cancel() {
      clear();
      if (opened) close();
    },
  };
}

async function listLoadPods(clients: KubeClients, namespace: string, name: string): Promise<V1Pod[]> {
  const list = await clients.core.listNamespacedPod({ namespace, labelSelector: `${LOAD_LABEL}=${name}` });
  return list.items.filter((p) => p.metadata?.deletionTimestamp === undefined);
}

async function jobFailure(clients: KubeClients, obj: K8sObject): Promise<string | undefined> {
  const ns = obj.metadata.namespace ?? '';
  if (obj.kind === 'Job') {
    const job = await clients.batch.readNamespacedJob({ name: obj.metadata.name, namespace: ns });
    const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    return failed
      ? `Job ${obj.metadata.name} failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim()
      : undefined;
  }
  const tr = (await clients.custom.getNamespacedCustomObject({
    group: 'k6.io',
    version: 'v1alpha1',
    namespace: ns,
    plural: TESTRUN_PLURAL,
    name: obj.metadata.name,
  })) as { status?: { stage?: string } };
  return tr.status?.stage === 'error' ? `TestRun ${obj.metadata.name} reached stage "error"` : undefined;
}

/**
 * Runs one load cell in the cluster and collects its result: a k6 Job (or k6-operator TestRun) in the mode's
 * namespace, enrolled like any client. Completion is judged by each pod's k6 container (a classic sidecar may
 * keep the pod running), results come from the marker line each pod prints (k6-reduce.ts), and the load object
 * is deleted afterwards, also on failure and abort.
 */
export async function runLoad(r: LoadRun): Promise<LatencyResult> {
  const { clients, ctx, tier, hooks } = r;
  const obj = renderLoad(ctx, tier, r.repetition, r.scriptFile, r.kind, hooks.tags ?? {});
  const name = obj.metadata.name;
  const ns = ctx.namespace;
  const pods = ctx.settings.k6Parallelism;
  const signal = hooks.signal;
  const timers = measureTimers(tier, hooks);
  const fail = async (what: string): Promise<never> => {
    throw new Error(`${what}\n${await diagnose(clients, ns, `${LOAD_LABEL}=${name}`)}`);
  };

  // A leftover of an interrupted attempt would report its old, finished pods as this cell's result.
  if (await exists(clients, obj)) {
    await deleteLoadObject(clients, obj);
    await pollUntil(async () => ((await exists(clients, obj)) ? undefined : true), {
      timeoutMs: 60_000,
      intervalMs: r.intervalMs,
      ...(signal ? { signal } : {}),
    });
  }
  try {
    await applyAll(clients, [obj], signal);
    const waitOpts = (timeoutMs: number) => ({
      timeoutMs,
      intervalMs: r.intervalMs,
      ...(signal ? { signal } : {}),
    });

    // 1. Every load pod runs k6.
    const running = await pollUntil(async () => {
      const list = await listLoadPods(clients, ns, name);
      // Pods first: a k6 that already ran (and failed) is reported from its own log below, not as a Job failure.
      if (list.length >= pods && list.every((p) => started(p, K6_CONTAINER))) return list;
      for (const p of list) {
        const why = stuck(p);
        if (why) return fail(`load pod cannot run k6: ${why}`);
      }
      const failure = await jobFailure(clients, obj);
      if (failure) {
        const again = await listLoadPods(clients, ns, name);
        return again.length >= pods && again.every((p) => started(p, K6_CONTAINER)) ? again : fail(failure);
      }
      return undefined;
    }, waitOpts(r.startTimeoutMs));
    if (!running)
      return await fail(
        `load pods of ${name} did not start k6 within ${Math.round(r.startTimeoutMs / 1000)} s (kubernetes.readyTimeoutSec)`,
      );
    timers.arm();
    r.onPodsRunning?.(running);

    // 2. Every k6 container has ended (and, for TestRun runners, the reducer sidecar has printed).
    const logContainer = r.kind === 'testrun' ? REDUCER_CONTAINER : K6_CONTAINER;
    const runMs = (tier.warmupSec + tier.durationSec + tier.timeoutMs / 1000 + 120) * 1000;
    const ended = async (): Promise<V1Pod[] | undefined> => {
      const list = await listLoadPods(clients, ns, name);
      const all =
        list.length >= pods && list.every((p) => terminated(p, K6_CONTAINER) && terminated(p, logContainer));
      return all ? list : undefined;
    };
    const done = await pollUntil(async () => {
      const list = await ended();
      if (list) return list;
      const failure = await jobFailure(clients, obj);
      // The Job may have failed between the two reads because k6 just ended: then its log says why.
      if (failure) return (await ended()) ?? fail(failure);
      return undefined;
    }, waitOpts(runMs));
    if (!done) return await fail(`k6 in ${name} did not finish within ${Math.round(runMs / 1000)} s`);
    timers.finish();

    // 3. Each pod's reduced output.
    const parts: ReducedK6[] = [];
    for (const p of done) {
      const podName = p.metadata?.name ?? '';
      const exit = terminated(p, K6_CONTAINER)?.exitCode ?? -1;
      let log: string;
      try {
        log = await clients.core.readNamespacedPodLog({
          name: podName,
          namespace: ns,
          container: logContainer,
          tailLines: 400,
        });
      } catch (e) {
        throw new Error(`reading the log of load pod ${podName} failed: ${apiErrorMessage(e)}`, { cause: e });
      }
      // 99: a threshold was crossed; the scenario sets none, so its data is still the measurement.
      if (exit !== 0 && exit !== 99) {
        const tail = log
          .split('\n')
          .filter((l) => !l.includes('@@MESHBENCH-K6@@'))
          .slice(-15)
          .join('\n');
        throw new Error(`k6 in load pod ${podName} exited ${exit} (${describeK6Exit(exit)})\n${tail}`);
      }
      parts.push(parseReducedLog(log));
    }
    return latencyFromReduced(parts, tier, clusterVuSizing(ctx, tier));
  } catch (e) {
    timers.cancel();
    throw e;
  } finally {
    await deleteLoadObject(clients, obj).catch(() => undefined);
  }
}
