import type { K8sObject } from './manifest-files.js';
import { meshRun, type RenderContext } from './render-context.js';

/**
 * The mode's mesh objects for this run, in apply order (before the workloads whose pods they enrol). Every
 * one carries the run's labels whatever the mode rendered: teardown finds cluster-scoped objects by them.
 */
export function renderMeshObjects(ctx: RenderContext): K8sObject[] {
  return (ctx.mode.kubernetes.meshObjects?.(meshRun(ctx)) ?? []).map((o) => ({
    ...o,
    metadata: { ...o.metadata, labels: { ...o.metadata.labels, ...ctx.labels } },
  }));
}
