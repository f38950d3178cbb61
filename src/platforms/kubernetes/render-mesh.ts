import { at, baseManifest, type K8sObject } from './manifest-files.js';
import { SERVER_NAME, serverHost } from './names.js';
import { appMeshName, type RenderContext } from './render-context.js';

/** Mesh objects of a mode, in apply order: they must exist before the workloads whose pods they enrol. */
export function renderMeshObjects(ctx: RenderContext): K8sObject[] {
  return [...renderAppMesh(ctx), ...renderIstio(ctx)];
}

function withMeta(obj: K8sObject, ctx: RenderContext, namespaced: boolean): K8sObject {
  obj.metadata = {
    ...obj.metadata,
    ...(namespaced ? { namespace: ctx.namespace } : {}),
    labels: { ...obj.metadata.labels, ...ctx.labels },
  };
  return obj;
}

function renderIstio(ctx: RenderContext): K8sObject[] {
  const k = ctx.mode.kubernetes;
  const out: K8sObject[] = [];
  if (k.peerAuthentication) {
    const pa = withMeta(baseManifest('istio/peer-authentication.yaml'), ctx, true);
    at(pa, 'spec', 'mtls').mode = k.peerAuthentication;
    out.push(pa);
  }
  if (k.waypoint) {
    const gw = withMeta(baseManifest('istio/waypoint.yaml'), ctx, true);
    gw.metadata.name = k.waypoint.name;
    // With revisions, the waypoint must be programmed by the same control plane as the namespace.
    if (ctx.settings.istioRevision)
      gw.metadata.labels = { ...gw.metadata.labels, 'istio.io/rev': ctx.settings.istioRevision };
    at(gw, 'spec').gatewayClassName = k.waypoint.gatewayClassName;
    out.push(gw);
  }
  return out;
}

function renderAppMesh(ctx: RenderContext): K8sObject[] {
  const k = ctx.mode.kubernetes;
  const mesh = appMeshName(ctx);
  if (!k.appMesh || !mesh) return [];
  const host = serverHost(ctx.namespace);
  const m = withMeta(baseManifest('appmesh/mesh.yaml'), ctx, false);
  m.metadata.name = mesh;
  at(m, 'spec', 'namespaceSelector').matchLabels = { [k.appMesh.meshLabel]: mesh };
  const server = withMeta(baseManifest('appmesh/virtual-node-server.yaml'), ctx, true);
  server.metadata.name = SERVER_NAME;
  at(server, 'spec', 'serviceDiscovery', 'dns').hostname = host;
  const client = withMeta(baseManifest('appmesh/virtual-node-client.yaml'), ctx, true);
  const vs = withMeta(baseManifest('appmesh/virtual-service.yaml'), ctx, true);
  vs.metadata.name = SERVER_NAME;
  at(vs, 'spec').awsName = host;
  return [m, server, client, vs];
}
