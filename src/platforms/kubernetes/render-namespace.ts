import { baseManifest, type K8sObject } from './manifest-files.js';
import { appMeshName, type RenderContext } from './render-context.js';

const ISTIO_REV = 'istio.io/rev';

/**
 * The mode's namespace labels: the mode's enrolment labels, adjusted for an Istio revision (the namespace
 * then carries `istio.io/rev=<revision>` instead of `istio-injection`, which would win over it) and for the
 * run's App Mesh mesh (the mesh's namespaceSelector label carries the run's mesh name).
 */
export function namespaceLabels(ctx: RenderContext): Record<string, string> {
  const k = ctx.mode.kubernetes;
  const labels: Record<string, string> = { ...k.namespaceLabels };
  const rev = ctx.settings.istioRevision;
  if (k.istioRevision && rev) {
    if (k.istioRevision.dropLabel) delete labels[k.istioRevision.dropLabel];
    labels[ISTIO_REV] = rev;
  }
  const mesh = appMeshName(ctx);
  if (k.appMesh && mesh) labels[k.appMesh.meshLabel] = mesh;
  return { ...labels, ...ctx.labels };
}

export function renderNamespace(ctx: RenderContext): K8sObject {
  const ns = baseManifest('namespace.yaml');
  ns.metadata = { name: ctx.namespace, labels: { ...ns.metadata.labels, ...namespaceLabels(ctx) } };
  return ns;
}
