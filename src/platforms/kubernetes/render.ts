import { stringify } from 'yaml';
import { k6Env } from '../../engines/k6/env.js';
import { k6VuSizing, type K6VuSizing } from '../../engines/k6/vu-sizing.js';
import type { ModeDefinition, ModeName } from '../../modes/mode.js';
import { modes as defaultModes, type ModeRegistry } from '../../modes/registry.js';
import type { ResolvedSpec, Tier } from '../../spec/schema.js';
import type { K8sObject } from './manifest-files.js';
import { loadJobName } from './names.js';
import { renderContext, type RenderContext } from './render-context.js';
import {
  loadTarget,
  renderLoadJob,
  renderLoadTestRun,
  renderScriptConfigMap,
  type ScriptBundle,
} from './render-load.js';
import { renderMeshObjects } from './render-mesh.js';
import { renderNamespace } from './render-namespace.js';
import { renderServerDeployment, renderServerService } from './render-server.js';
import type { KubernetesSettings } from './settings.js';

export type LoadKind = 'job' | 'testrun';

/** What the cluster offers for distributed load; unknown (plan without a cluster): plain Jobs. */
export interface LoadCapabilities {
  k6Operator: boolean;
  /** Kubernetes >= 1.29: init containers with restartPolicy Always (native sidecars) are on by default. */
  nativeSidecars: boolean;
}

/**
 * How a cell's load runs. One pod: a Job. Several: a k6-operator TestRun when the operator is installed and the
 * mode allows it, otherwise an indexed Job whose pods each run one k6 execution segment. Not a TestRun for a
 * mode with a classic sidecar that must be stopped (a proxy admin quit URL and no native sidecars): the
 * operator's own pods could not stop it. Nor for a mode that declares `noOperatorPods` (its mesh rejects them).
 */
export function loadKindFor(
  mode: ModeDefinition,
  settings: KubernetesSettings,
  caps: LoadCapabilities,
): LoadKind {
  if (settings.k6Parallelism <= 1 || !caps.k6Operator) return 'job';
  const k = mode.kubernetes;
  if (k.noOperatorPods !== undefined) return 'job';
  if (k.proxyAdmin && !caps.nativeSidecars) return 'job';
  return 'testrun';
}

/**
 * Objects `up(mode)` applies, in two phases: first the namespace and the mode's mesh objects (cluster-scoped
 * ones before the namespace: a namespace's pods may be admitted only once its mesh exists), then the
 * workloads (server and script).
 */
export function setupPhases(
  ctx: RenderContext,
  script: ScriptBundle,
): { mesh: K8sObject[]; workloads: K8sObject[] } {
  const mesh = renderMeshObjects(ctx);
  const isCluster = (o: K8sObject) => o.metadata.namespace === undefined;
  return {
    mesh: [...mesh.filter(isCluster), renderNamespace(ctx), ...mesh.filter((o) => !isCluster(o))],
    workloads: [renderServerService(ctx), renderServerDeployment(ctx), renderScriptConfigMap(ctx, script)],
  };
}

/** Objects `up(mode)` applies, in order: cluster-scoped mesh objects, namespace, mesh objects, server, script. */
export function renderSetup(ctx: RenderContext, script: ScriptBundle): K8sObject[] {
  const p = setupPhases(ctx, script);
  return [...p.mesh, ...p.workloads];
}

/**
 * The VUs a cell's k6 gets in the cluster: sized for the tier's rate and the app's delay, spread over the load pods
 * (each pod's execution segment gets an equal whole share; see vu-sizing.ts).
 */
export function clusterVuSizing(ctx: RenderContext, tier: Tier): K6VuSizing {
  return k6VuSizing(tier, { appDelayMs: ctx.spec.app.delayMs, parallelism: ctx.settings.k6Parallelism });
}

/** One cell's load object. `tags` go on every k6 sample (the runner's mode/tier/rep); mode and rep by default. */
export function renderLoad(
  ctx: RenderContext,
  tier: Tier,
  repetition: number,
  scriptFile: string,
  kind: LoadKind,
  extraTags: Record<string, string> = {},
): K8sObject {
  const tags = { mode: ctx.mode.name, rep: String(repetition), ...extraTags };
  const l = {
    name: loadJobName(tier.name, repetition),
    tier,
    k6Env: k6Env(loadTarget(ctx, tier), tier, tags, clusterVuSizing(ctx, tier)),
    scriptFile,
    parallelism: ctx.settings.k6Parallelism,
  };
  return kind === 'testrun' ? renderLoadTestRun(ctx, l) : renderLoadJob(ctx, l);
}

export interface RenderOptions {
  /** The bundled scenario; a placeholder when absent (plan without bundling). */
  script?: ScriptBundle;
  capabilities?: LoadCapabilities;
  registry?: ModeRegistry;
}

const PLACEHOLDER_SCRIPT: ScriptBundle = {
  fileName: 'constant-arrival-rate.js',
  source: '// bundled k6 scenario (scenarios/constant-arrival-rate.ts)\n',
};

/** Every object a run would create, per mode: setup objects, then one load object per (tier, repetition). Pure. */
export function renderManifests(
  spec: ResolvedSpec,
  settings: KubernetesSettings,
  runId: string,
  opts: RenderOptions = {},
): { mode: ModeName; objects: object[] }[] {
  const registry = opts.registry ?? defaultModes;
  const script = opts.script ?? PLACEHOLDER_SCRIPT;
  const caps = opts.capabilities ?? { k6Operator: false, nativeSidecars: false };
  return spec.modes.map((name) => {
    const mode = registry.get(name);
    if (!mode) throw new Error(`mode ${name} is not registered`);
    const ctx = renderContext(runId, spec, settings, mode, registry);
    const kind = loadKindFor(mode, settings, caps);
    const loads: K8sObject[] = [];
    for (let rep = 1; rep <= spec.repetitions; rep++)
      for (const tier of spec.tiers) loads.push(renderLoad(ctx, tier, rep, script.fileName, kind));
    return { mode: name, objects: [...renderSetup(ctx, script), ...loads] };
  });
}

/** The same objects as one multi-document YAML stream, with a comment line per mode. */
export function renderManifestsYaml(rendered: { mode: ModeName; objects: object[] }[]): string {
  return rendered
    .map((r) =>
      [`# mode: ${r.mode}`, ...r.objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`)].join('\n'),
    )
    .join('\n');
}
