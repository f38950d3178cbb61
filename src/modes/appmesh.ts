import type { K8sObject } from '../platforms/kubernetes/manifest-files.js';
import { field, meshObject } from './mesh-object.js';
import type { ControlPlane, MeshKind, MeshRun, ModeDefinition } from './mode.js';

const INSTALL =
  'helm install appmesh-controller eks/appmesh-controller --namespace appmesh-system (it installs the appmesh.k8s.aws CRDs)';
/** The namespace label the run's Mesh selects namespaces by; its value is the run's mesh name. */
const MESH_LABEL = 'mesh';

const CONTROLLER: ControlPlane = {
  what: 'appmesh-controller',
  fix: INSTALL,
  find: { deployment: 'app.kubernetes.io/name=appmesh-controller' },
  namespace: 'appmesh-system',
  version: 'appmesh-controller',
  image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/appmesh-controller',
};

// App Mesh objects report readiness as conditions; the injector needs the Mesh and the VirtualNode that
// selects a pod when the pod is admitted, so all are ready before any pod (shared/reference/mesh-modes.md).
const kind = (k: string, plural: string, namespaced: boolean): MeshKind => ({
  apiVersion: 'appmesh.k8s.aws/v1beta2',
  kind: k,
  plural,
  namespaced,
  ready: { condition: `${k}Active`, before: 'workloads' },
});

/** A cluster-scoped Mesh per run that selects the run's namespace, a VirtualNode per workload, a VirtualService. */
function appMeshObjects(run: MeshRun): K8sObject[] {
  const m = meshObject(run, 'appmesh/mesh.yaml', { namespaced: false, name: run.meshName });
  field(m, 'spec', 'namespaceSelector').matchLabels = { [MESH_LABEL]: run.meshName };
  const server = meshObject(run, 'appmesh/virtual-node-server.yaml', {
    namespaced: true,
    name: run.serverApp,
  });
  field(server, 'spec', 'serviceDiscovery', 'dns').hostname = run.serverHost;
  // Envoy in App Mesh handles a port as the listener's protocol says: a gRPC tier's port needs a grpc listener
  // (a second listener: App Mesh and its controller take several since controller v1.7.0, 2022).
  if (run.grpcPort !== undefined) {
    const spec = field(server, 'spec');
    spec.listeners = [
      ...(spec.listeners as unknown[]),
      { portMapping: { port: run.grpcPort, protocol: 'grpc' } },
    ];
  }
  const client = meshObject(run, 'appmesh/virtual-node-client.yaml', { namespaced: true });
  const vs = meshObject(run, 'appmesh/virtual-service.yaml', { namespaced: true, name: run.serverApp });
  field(vs, 'spec').awsName = run.serverHost;
  return [m, server, client, vs];
}

export const appmesh: ModeDefinition<'appmesh'> = {
  name: 'appmesh',
  title: 'AWS App Mesh (Envoy sidecar per pod, plaintext)',
  description:
    "An L7 Envoy sidecar in every pod, plaintext between sidecars (App Mesh's default). Locally: one HTTP-mode HAProxy per pod, no TLS.",
  topology: { sidecar: { layer: 'l7', mtls: false } },
  kubernetes: {
    namespaceLabels: { 'appmesh.k8s.aws/sidecarInjectorWebhook': 'enabled' },
    meshNameLabel: MESH_LABEL,
    optOut: { namespaceLabels: { 'appmesh.k8s.aws/sidecarInjectorWebhook': 'disabled' } },
    sidecarContainers: ['envoy'],
    injectedInitContainers: ['proxyinit'],
    meshObjects: appMeshObjects,
    kinds: [
      kind('Mesh', 'meshes', false),
      kind('VirtualNode', 'virtualnodes', true),
      kind('VirtualService', 'virtualservices', true),
    ],
    // Envoy admin listens on 9901 in App Mesh's injected sidecar (shared/reference/mesh-modes.md).
    proxyAdmin: { readyUrl: 'http://127.0.0.1:9901/ready', quitUrl: 'http://127.0.0.1:9901/quitquitquit' },
    noOperatorPods: "App Mesh's injector rejects pods that no VirtualNode selects, such as the k6-operator's",
    sidecarImplementation: 'envoy (appmesh)',
    sidecarImage: '840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-envoy',
    // aws/eks-charts stable/appmesh-controller/values.yaml: sidecar.resources.requests.
    sidecarDefaultResources: { requests: { cpu: '10m', memory: '32Mi' } },
    requires: {
      crds: ['meshes', 'virtualnodes', 'virtualservices'].map((p) => ({
        name: `${p}.appmesh.k8s.aws`,
        fix: INSTALL,
      })),
      controlPlanes: [CONTROLLER],
    },
    notEnrolledHint:
      "App Mesh's controller or injector webhook is missing; run `meshbench doctor --platform kubernetes`",
  },
};
