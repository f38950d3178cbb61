import type { V1Deployment } from '@kubernetes/client-node';
import type { ModeDefinition } from '../../modes/mode.js';
import type { EnvironmentInfo } from '../../results/schema.js';
import type { PlatformDescription } from '../platform.js';
import type { KubeClients } from './client.js';
import { imageTag } from './proxies.js';

export type ClusterInfo = NonNullable<EnvironmentInfo['kubernetes']>;

function firstImage(d: V1Deployment | undefined): string | undefined {
  return d?.spec?.template.spec?.containers[0]?.image;
}

async function deploymentVersion(
  clients: KubeClients,
  labelSelector: string,
  rev?: string,
): Promise<string | undefined> {
  const list = (await clients.apps.listDeploymentForAllNamespaces({ labelSelector })).items;
  const pick = rev ? list.find((d) => d.metadata?.labels?.['istio.io/rev'] === rev) : list[0];
  const img = firstImage(pick);
  return img ? imageTag(img) : undefined;
}

/**
 * What results.json records about the cluster: Kubernetes version, context, versions of the meshes the run
 * uses (from their control-plane image tags) and node instance types. Each fact is best effort: one that
 * cannot be read is left out, never guessed.
 */
export async function clusterInfo(
  clients: KubeClients,
  modeDefs: ModeDefinition[],
  istioRevision?: string,
): Promise<ClusterInfo> {
  const info: ClusterInfo = { context: clients.context };
  try {
    info.serverVersion = (await clients.version.getCode()).gitVersion;
  } catch {
    // left out
  }
  const meshVersions: Record<string, string> = {};
  const wants = (p: (m: ModeDefinition) => boolean) => modeDefs.some(p);
  try {
    if (wants((m) => m.kubernetes.istioRevision !== undefined)) {
      const v = await deploymentVersion(clients, 'app=istiod', istioRevision);
      if (v) meshVersions.istio = v;
    }
    if (wants((m) => m.topology.nodeProxy !== undefined)) {
      const ds = (
        await clients.apps.listDaemonSetForAllNamespaces({ fieldSelector: 'metadata.name=ztunnel' })
      ).items[0];
      const img = ds?.spec?.template.spec?.containers[0]?.image;
      if (img) meshVersions.ztunnel = imageTag(img);
    }
    if (wants((m) => m.kubernetes.appMesh !== undefined)) {
      const v = await deploymentVersion(clients, 'app.kubernetes.io/name=appmesh-controller');
      if (v) meshVersions['appmesh-controller'] = v;
    }
  } catch {
    // left out
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
    if (m.topology.nodeProxy) names.add('ztunnel');
    if (m.topology.waypoint) names.add('envoy (waypoint)');
  }
  const versions = Object.entries(info.meshVersions ?? {}).map(([k, v]) => `${k} ${v}`);
  return {
    proxy: {
      name: names.size > 0 ? [...names].join(', ') : 'none',
      version: versions.length > 0 ? versions.join(', ') : 'n/a',
    },
  };
}
