import type { ModeDefinition } from '../../modes/mode.js';
import type { EnvironmentInfo } from '../../results/schema.js';
import type { PlatformDescription } from '../platform.js';
import type { KubeClients } from './client.js';
import { findControlPlane, requiredControlPlanes } from './control-planes.js';
import { imageTag } from './proxies.js';
import type { KubernetesSettings } from './settings.js';

export type ClusterInfo = NonNullable<EnvironmentInfo['kubernetes']>;

/**
 * What results.json records about the cluster: Kubernetes version, context, versions of the meshes the run
 * uses (the image tags of the control planes its modes declare a version key for) and node instance types. Each fact is best effort: one that
 * cannot be read is left out, never guessed.
 */
export async function clusterInfo(
  clients: KubeClients,
  modeDefs: ModeDefinition[],
  settings: KubernetesSettings,
): Promise<ClusterInfo> {
  const info: ClusterInfo = { context: clients.context };
  try {
    info.serverVersion = (await clients.version.getCode()).gitVersion;
  } catch {
    // left out
  }
  const meshVersions: Record<string, string> = {};
  for (const m of modeDefs)
    for (const r of requiredControlPlanes(m, settings)) {
      const key = r.plane.version;
      if (key === undefined || meshVersions[key] !== undefined) continue;
      try {
        const found = await findControlPlane(clients, r);
        const img = found.matching[0]?.spec?.template.spec?.containers[0]?.image;
        if (img) meshVersions[key] = imageTag(img);
      } catch {
        // left out
      }
    }
  if (Object.keys(meshVersions).length > 0) info.meshVersions = meshVersions;
  try {
    const nodes = (await clients.core.listNode()).items;
    const types = new Set(
      nodes
        .map(
          (n) =>
            n.metadata?.labels?.['node.kubernetes.io/instance-type'] ??
            n.metadata?.labels?.['beta.kubernetes.io/instance-type'],
        )
        .filter((t): t is string => t !== undefined),
    );
    if (types.size > 0) info.nodeTypes = [...types].sort();
  } catch {
    // left out
  }
  return info;
}

/** The proxies that carry the traffic of the requested modes, for EnvironmentInfo.proxy. */
export function describeProxies(modeDefs: ModeDefinition[], info: ClusterInfo): PlatformDescription {
  const names = new Set<string>();
  for (const m of modeDefs) {
    if (m.topology.sidecar)
      names.add(m.kubernetes.sidecarImplementation ?? m.kubernetes.sidecarContainers.join('+'));
    const shared = m.kubernetes.sharedProxies;
    if (m.topology.nodeProxy && shared?.nodeProxy) names.add(shared.nodeProxy.implementation);
    if (m.topology.waypoint && shared?.waypoint) names.add(shared.waypoint.implementation);
  }
  const versions = Object.entries(info.meshVersions ?? {}).map(([k, v]) => `${k} ${v}`);
  return {
    proxy: {
      name: names.size > 0 ? [...names].join(', ') : 'none',
      version: versions.length > 0 ? versions.join(', ') : 'n/a',
    },
  };
}
