import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { AnnotationRule, ModeDefinition } from '../../modes/mode.js';
import { modes as defaultModes, type ModeRegistry } from '../../modes/registry.js';

/** Containers that mean a pod is in some registered mesh: every mode's proxies and injected init containers. */
export function meshContainers(registry: ModeRegistry = defaultModes): string[] {
  const names = [...registry.values()].flatMap((m) => [
    ...m.kubernetes.sidecarContainers,
    ...(m.kubernetes.injectedInitContainers ?? []),
  ]);
  return [...new Set(names)];
}

/** Annotations that mean a pod is in some registered mesh: every mode's enrolment proof. */
export function meshAnnotations(registry: ModeRegistry = defaultModes): AnnotationRule[] {
  const seen = new Set<string>();
  return [...registry.values()]
    .flatMap((m) => m.kubernetes.enrolmentAnnotations ?? [])
    .filter((a) => !seen.has(`${a.name}=${a.value ?? ''}`) && seen.add(`${a.name}=${a.value ?? ''}`));
}

/** Every container of a pod, native sidecars (init containers with restartPolicy Always) included. */
export function allContainers(p: V1Pod): V1Container[] {
  return [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])];
}

function hasAnnotation(p: V1Pod, a: AnnotationRule): boolean {
  const v = p.metadata?.annotations?.[a.name];
  return v !== undefined && (a.value === undefined || v === a.value);
}

/**
 * Why a pod is not enrolled the way its mode requires (empty: it is). A mode with sidecars needs its proxy
 * container and enrolment annotations; a mode without needs its annotations (ambient redirection) and no
 * sidecar; baseline needs no sign of any mesh at all.
 */
export function enrolmentProblems(
  mode: ModeDefinition,
  pod: V1Pod,
  registry: ModeRegistry = defaultModes,
): string[] {
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
    for (const c of meshContainers(registry))
      if (names.has(c))
        problems.push(`pod ${name} has a ${c} container, which mode ${mode.name} must not have`);
  }
  if (k.sidecarContainers.length === 0 && expected.length === 0) {
    for (const a of meshAnnotations(registry))
      if (hasAnnotation(pod, a))
        problems.push(`pod ${name} carries ${a.name}: it is in a mesh, baseline must not be`);
  }
  return problems;
}

/** Throws when any pod is not enrolled as its mode requires; the message lists every problem and the usual causes. */
export function verifyEnrolment(
  mode: ModeDefinition,
  pods: V1Pod[],
  registry: ModeRegistry = defaultModes,
): void {
  const problems = pods.flatMap((p) => enrolmentProblems(mode, p, registry));
  if (problems.length === 0) return;
  const hint = mode.kubernetes.outsideEveryMesh
    ? `a mesh enrols this namespace anyway: check for mutating webhooks that ignore ${optOutLabels(mode, registry)}`
    : (mode.kubernetes.notEnrolledHint ??
      "the mesh's control plane or injection webhook is missing; run `meshbench doctor --platform kubernetes`");
  throw new Error(
    `mode ${mode.name}: workloads are not enrolled as expected\n  ${problems.join('\n  ')}\n${hint}`,
  );
}

/** "istio-injection=disabled or ...": the opt-outs a mode outside every mesh carries. */
function optOutLabels(mode: ModeDefinition, registry: ModeRegistry): string {
  const entries = [...registry.values()]
    .filter((m) => m.name !== mode.name)
    .flatMap((m) => [
      ...Object.entries(m.kubernetes.optOut?.namespaceLabels ?? {}),
      ...Object.entries(m.kubernetes.optOut?.namespaceAnnotations ?? {}),
    ])
    .map(([k, v]) => `${k}=${v}`);
  return [...new Set(entries)].join(' or ') || 'its opt-out labels';
}
