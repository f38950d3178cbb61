import { baseManifest, type K8sObject } from './manifest-files.js';
import { meshRun, optOutsFor, type RenderContext } from './render-context.js';

/**
 * The mode's namespace labels and annotations: its enrolment labels (or, outside every mesh, every other
 * mode's opt-outs), adjusted for a control-plane revision (the revision label replaces the labels it would
 * lose to) and for a mesh that selects namespaces by a label carrying the run's mesh name.
 */
export function namespaceMeta(ctx: RenderContext): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const k = ctx.mode.kubernetes;
  const labels: Record<string, string> = { ...k.namespaceLabels };
  const annotations: Record<string, string> = { ...k.namespaceAnnotations };
  for (const o of optOutsFor(ctx)) {
    Object.assign(labels, o.namespaceLabels);
    Object.assign(annotations, o.namespaceAnnotations);
  }
  const rev = k.revision?.of(ctx.settings);
  if (k.revision && rev) {
    for (const l of k.revision.replaces ?? []) delete labels[l];
    labels[k.revision.label] = rev;
  }
  if (k.meshNameLabel) labels[k.meshNameLabel] = meshRun(ctx).meshName;
  return { labels: { ...labels, ...ctx.labels }, annotations };
}

export function renderNamespace(ctx: RenderContext): K8sObject {
  const ns = baseManifest('namespace.yaml');
  const { labels, annotations } = namespaceMeta(ctx);
  ns.metadata = {
    name: ctx.namespace,
    labels: { ...ns.metadata.labels, ...labels },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return ns;
}
