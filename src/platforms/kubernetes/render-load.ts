import type { Target } from '../../engines/engine.js';
import type { Tier } from '../../spec/schema.js';
import { loadWrapperScript, OUT_DIR, reducerSidecarScript } from './k6-reduce.js';
import { at, baseManifest, type K8sObject } from './manifest-files.js';
import { GRPC_PROTO_FILE } from '../../engines/k6/env-keys.js';
import { FGRPC_PING_PROTO } from '../../engines/k6/fgrpc-ping-proto.js';
import { CLIENT_APP, GRPC_PORT, SCRIPT_CONFIGMAP, SERVER_PORT, serverHost } from './names.js';
import { servesGrpc } from './render-protocols.js';
import type { RenderContext } from './render-context.js';
import { containerResources, modePodLabels, podLabels } from './render-server.js';

/** Label on load pods naming the Job or TestRun they belong to. */
export const LOAD_LABEL = 'meshbench.io/load';
export const K6_CONTAINER = 'k6';
export const REDUCER_CONTAINER = 'meshbench-reduce';

export interface ScriptBundle {
  fileName: string;
  source: string;
}

/**
 * What a load pod sends requests to: the server Service, with the spec's app delay (fortio's `delay=`). A gRPC
 * tier's target is the Service's gRPC port; k6Env turns it into host:port and the delay into the Ping's delayNanos.
 */
export function loadTarget(ctx: RenderContext, tier?: Pick<Tier, 'protocol'>): Target {
  const delay = ctx.spec.app.delayMs > 0 ? `?delay=${ctx.spec.app.delayMs}ms` : '';
  if (tier?.protocol === 'grpc')
    return { endpoints: [`http://${serverHost(ctx.namespace)}:${GRPC_PORT}/${delay}`], protocol: 'grpc' };
  return {
    endpoints: [`http://${serverHost(ctx.namespace)}:${SERVER_PORT}/echo${delay}`],
    protocol: 'http/1.1',
  };
}

export function renderScriptConfigMap(ctx: RenderContext, script: ScriptBundle): K8sObject {
  const cm = baseManifest('load/configmap.yaml');
  cm.metadata = { name: SCRIPT_CONFIGMAP, namespace: ctx.namespace, labels: { ...ctx.labels } };
  cm.data = {
    [script.fileName]: script.source,
    // k6's Client.load() opens the message definition relative to the script: same ConfigMap, same mount.
    ...(servesGrpc(ctx.spec) ? { [GRPC_PROTO_FILE]: FGRPC_PING_PROTO } : {}),
  };
  return cm;
}

export interface LoadRender {
  name: string;
  tier: Tier;
  /** The k6 environment for this cell (k6Env of the k6 engine). */
  k6Env: Record<string, string>;
  scriptFile: string;
  parallelism: number;
}

function envList(env: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

function loadEnv(ctx: RenderContext, l: LoadRender): Record<string, string> {
  const admin = ctx.mode.kubernetes.proxyAdmin;
  return {
    ...l.k6Env,
    // k6 reports anonymous usage to the internet unless told not to (shared/fixtures/k6/README.md).
    K6_NO_USAGE_REPORT: 'true',
    MESHBENCH_SCRIPT: `/scripts/${l.scriptFile}`,
    MESHBENCH_PARALLELISM: String(l.parallelism),
    ...(admin ? { MESHBENCH_PROXY_READY_URL: admin.readyUrl, MESHBENCH_PROXY_QUIT_URL: admin.quitUrl } : {}),
  };
}

function loadPodMeta(
  ctx: RenderContext,
  name: string,
): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const annotations = {
    ...(ctx.mode.kubernetes.podAnnotations ?? {}),
    ...(ctx.mode.kubernetes.loadPodAnnotations ?? {}),
  };
  return {
    labels: { ...podLabels(ctx, CLIENT_APP, 'client'), [LOAD_LABEL]: name },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/** A hard deadline so a stuck load pod ends even if meshbench itself is gone: the cell's length plus margin. */
function deadlineSec(ctx: RenderContext, tier: Tier): number {
  return Math.ceil(
    tier.warmupSec + tier.durationSec + tier.timeoutMs / 1000 + ctx.settings.readyTimeoutSec + 120,
  );
}

/**
 * One load cell as a Job: one pod (or an indexed Job of `parallelism` pods, each running its own k6
 * execution segment). The pod is enrolled in the mode like any client, so the client-side proxy is in the path.
 */
export function renderLoadJob(ctx: RenderContext, l: LoadRender): K8sObject {
  const job = baseManifest('load/job.yaml');
  job.metadata = {
    name: l.name,
    namespace: ctx.namespace,
    labels: { ...job.metadata.labels, ...ctx.labels, [LOAD_LABEL]: l.name },
  };
  const spec = at(job, 'spec');
  spec.completions = l.parallelism;
  spec.parallelism = l.parallelism;
  if (l.parallelism > 1) spec.completionMode = 'Indexed';
  spec.activeDeadlineSeconds = deadlineSec(ctx, l.tier);
  const template = at(job, 'spec', 'template');
  template.metadata = loadPodMeta(ctx, l.name);
  const podSpec = at(template, 'spec');
  if (ctx.settings.nodeSelector) podSpec.nodeSelector = { ...ctx.settings.nodeSelector };
  const c = at(podSpec, 'containers', 0);
  c.name = K6_CONTAINER;
  c.image = ctx.settings.k6Image;
  c.args = [loadWrapperScript()];
  c.env = envList(loadEnv(ctx, l));
  c.resources = containerResources(ctx.settings.clientResources);
  return job;
}

/**
 * One load cell as a k6-operator TestRun: `parallelism` runners, started together by the operator. Each
 * runner pod carries the reducer as a native sidecar (k6-reduce.ts); the operator's initializer and starter
 * pods get the mode's load-pod annotations too, so that an Istio sidecar there is native and ends with them.
 */
export function renderLoadTestRun(ctx: RenderContext, l: LoadRender): K8sObject {
  const tr = baseManifest('load/testrun.yaml');
  tr.metadata = { name: l.name, namespace: ctx.namespace, labels: { ...ctx.labels, [LOAD_LABEL]: l.name } };
  const spec = at(tr, 'spec');
  spec.parallelism = l.parallelism;
  spec.script = { configMap: { name: SCRIPT_CONFIGMAP, file: l.scriptFile } };
  spec.arguments = `--out csv=${OUT_DIR}/out.csv`;
  const runner = at(spec, 'runner');
  const meta = loadPodMeta(ctx, l.name);
  runner.metadata = meta;
  runner.image = ctx.settings.k6Image;
  // The operator spreads the load over runners itself: each gets its execution segment, not MESHBENCH_PARALLELISM.
  const {
    MESHBENCH_PARALLELISM: _p,
    MESHBENCH_SCRIPT: _s,
    MESHBENCH_PROXY_READY_URL: _r,
    MESHBENCH_PROXY_QUIT_URL: _q,
    ...env
  } = loadEnv(ctx, l);
  runner.env = envList(env);
  runner.resources = containerResources(ctx.settings.clientResources);
  if (ctx.settings.nodeSelector) runner.nodeSelector = { ...ctx.settings.nodeSelector };
  const reducer = at(runner, 'initContainers', 0);
  reducer.name = REDUCER_CONTAINER;
  reducer.image = ctx.settings.k6Image;
  reducer.args = [reducerSidecarScript()];
  const helper = {
    metadata: {
      labels: { ...ctx.labels, ...modePodLabels(ctx) },
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
    },
  };
  spec.initializer = { ...helper, image: ctx.settings.k6Image };
  spec.starter = helper;
  return tr;
}
