import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { ModeDefinition } from '../../modes/mode.js';

/** Containers and annotations that mean a pod is in some mesh (shared/reference/mesh-modes.md, "Baseline"). */
export const MESH_CONTAINERS = [
  'istio-proxy',
  'envoy',
  'kuma-sidecar',
  'linkerd-proxy',
  'istio-init',
  'proxyinit',
  'kuma-init',
  'linkerd-init',
];
export const MESH_ANNOTATIONS: { name: string; value?: string }[] = [
  { name: 'sidecar.istio.io/status' },
  { name: 'ambient.istio.io/redirection', value: 'enabled' },
  { name: 'kuma.io/sidecar-injected', value: 'true' },
  { name: 'linkerd.io/proxy-version' },
];

/** Every container of a pod, native sidecars (init containers with restartPolicy Always) included. */
export function allContainers(p: V1Pod): V1Container[] {
  return [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])];
}

function hasAnnotation(p: V1Pod, a: { name: string; value?: string }): boolean {
  const v = p.metadata?.annotations?.[a.name];
  return v !== undefined && (a.value === undefined || v === a.value);
}

/**
 * Why a pod is not enrolled the way its mode requires (empty: it is). A mode with sidecars needs its proxy
 * container and enrolment annotations; a mode without needs its annotations (ambient redirection) and no
 * sidecar; baseline needs no sign of any mesh at all.
 */
export function enrolmentProblems(mode: ModeDefinition, pod: V1Pod): string[] {
  const k = mode.kubernetes;
  const name = pod.metadata?.name ?? '?';
  const names = new Set(allContainers(pod).map((c) => c.name));
  const problems: string[] = [];
  for (const c of k.sidecarContainers)
    if (!names.has(c))
      problems.push(`pod ${name} has no ${c} container (the mesh's injector did not act on it)`);
  const expected = k.enrolmentAnnotations ?? [];
  for (const a of expected) {
    if (!hasAnnotation(pod, a))
      problems.push(`pod ${name} lacks annotation ${a.name}${a.value ? `=${a.value}` : ''}`);
  }
  if (k.sidecarContainers.length === 0) {
    for (const c of MESH_CONTAINERS)
      if (names.has(c))
        problems.push(`pod ${name} has a ${c} container, which mode ${mode.name} must not have`);
  }
  if (k.sidecarContainers.length === 0 && expected.length === 0) {
    for (const a of MESH_ANNOTATIONS)
      if (hasAnnotation(pod, a))
        problems.push(`pod ${name} carries ${a.name}: it is in a mesh, baseline must not be`);
  }
  return problems;
}

/** Throws when any pod is not enrolled as its mode requires; the message lists every problem and the usual causes. */
export function verifyEnrolment(mode: ModeDefinition, pods: V1Pod[]): void {
  const problems = pods.flatMap((p) => enrolmentProblems(mode, p));
  if (problems.length === 0) return;
  const hint =
    mode.name === 'baseline'
      ? 'a mesh enrols this namespace anyway: check for mutating webhooks that ignore istio-injection=disabled or istio.io/dataplane-mode=none'
      : "the mesh's control plane or injection webhook is missing, or (with revisions) kubernetes.istioRevision does not name the installed revision; run `meshbench doctor --platform kubernetes`";
  throw new Error(
    `mode ${mode.name}: workloads are not enrolled as expected\n  ${problems.join('\n  ')}\n${hint}`,
  );
}
