import type { V1DaemonSet, V1Deployment } from '@kubernetes/client-node';
import type { ControlPlane, ModeDefinition } from '../../modes/mode.js';
import type { KubeClients } from './client.js';
import type { KubernetesSettings } from './settings.js';

/** A control plane as a mode requires it, with the revision (if any) the run's settings name for that mode. */
export interface RequiredControlPlane {
  plane: ControlPlane;
  /** Only control planes carrying `label=value` count (a control-plane revision). */
  revision?: { label: string; value: string };
}

export function requiredControlPlanes(
  mode: ModeDefinition,
  settings: KubernetesSettings,
): RequiredControlPlane[] {
  const rev = mode.kubernetes.revision;
  const value = rev?.of(settings);
  return (mode.kubernetes.requires?.controlPlanes ?? []).map((plane) => ({
    plane,
    // Revisions select Deployments (istiod-<rev>); node agents are shared by every revision.
    ...(rev && value && 'deployment' in plane.find ? { revision: { label: rev.label, value } } : {}),
  }));
}

/** The Deployments (all, and those of the revision) or DaemonSets that a control-plane requirement finds. */
export async function findControlPlane(
  clients: KubeClients,
  r: RequiredControlPlane,
): Promise<
  | { kind: 'Deployment'; all: V1Deployment[]; matching: V1Deployment[] }
  | { kind: 'DaemonSet'; all: V1DaemonSet[]; matching: V1DaemonSet[] }
> {
  const find = r.plane.find;
  if ('deployment' in find) {
    const all = (await clients.apps.listDeploymentForAllNamespaces({ labelSelector: find.deployment })).items;
    const rev = r.revision;
    const matching = rev ? all.filter((d) => d.metadata?.labels?.[rev.label] === rev.value) : all;
    return { kind: 'Deployment', all, matching };
  }
  const all = (
    await clients.apps.listDaemonSetForAllNamespaces({ fieldSelector: `metadata.name=${find.daemonSet}` })
  ).items;
  return { kind: 'DaemonSet', all, matching: all };
}
