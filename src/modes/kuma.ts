import type { K8sObject } from '../platforms/kubernetes/manifest-files.js';
import { field, meshObject } from './mesh-object.js';
import type { MeshRun, ModeDefinition } from './mode.js';

/**
 * Kong Mesh / Kuma: an Envoy sidecar (kuma-dp) per pod, mutual TLS between sidecars. Facts from kumahq/kuma
 * (its CRDs in shared/crds/kuma.yaml, kuma.io/v1alpha1), its injector (container `kuma-sidecar`, init
 * `kuma-init`, annotation `kuma.io/sidecar-injected: "true"`, Envoy admin on 9901) and its docs.
 */
const API = 'kuma.io/v1alpha1';
/** Where kuma-cp runs (helm install kuma kuma/kuma --namespace kuma-system); MeshIdentity lives only there. */
const SYSTEM_NAMESPACE = 'kuma-system';
const INSTALL =
  'install Kuma: helm install kuma kuma/kuma --namespace kuma-system --create-namespace (it installs the kuma.io CRDs)';
/** Load pods run as their namespace's default ServiceAccount. */
const CLIENT_SERVICE_ACCOUNT = 'default';

const trustDomain = (run: MeshRun) => `${run.meshName}.mesh.local`;
const meshLabel = (run: MeshRun) => ({ 'kuma.io/mesh': run.meshName });

/**
 * The run's Mesh (mTLS from the builtin CA), the identities its sidecars get (MeshIdentity, Bundled CA), and
 * a MeshTrafficPermission that lets the client's identity call the server (mTLS denies everything else).
 */
function kumaObjects(run: MeshRun): K8sObject[] {
  const mesh = meshObject(run, 'kuma/mesh.yaml', { namespaced: false, name: run.meshName });
  const identity = meshObject(run, 'kuma/mesh-identity.yaml', {
    namespaced: true,
    name: run.meshName,
    namespace: SYSTEM_NAMESPACE,
    labels: meshLabel(run),
  });
  field(identity, 'spec', 'spiffeID').trustDomain = trustDomain(run);
  const mtp = meshObject(run, 'kuma/mesh-traffic-permission.yaml', {
    namespaced: true,
    labels: meshLabel(run),
  });
  field(mtp, 'spec', 'targetRef', 'labels').app = run.serverApp;
  const [rule] = field(mtp, 'spec').rules as { default: { allow: { spiffeID: { value: string } }[] } }[];
  const allow = rule?.default.allow[0];
  if (!allow) throw new Error('manifests/kuma/mesh-traffic-permission.yaml has no allow rule');
  allow.spiffeID.value = `spiffe://${trustDomain(run)}/ns/${run.namespace}/sa/${CLIENT_SERVICE_ACCOUNT}`;
  return [mesh, identity, mtp];
}

export const kuma: ModeDefinition<'kuma'> = {
  name: 'kuma',
  title: 'Kong Mesh / Kuma (Envoy sidecar per pod, mTLS)',
  description:
    'An L7 Envoy sidecar (kuma-dp) in every pod; client sidecar -> mutual TLS -> server sidecar -> app. Locally: one HTTP-mode HAProxy per pod with mTLS between them.',
  optIn: true,
  topology: { sidecar: { layer: 'l7', mtls: true } },
  kubernetes: {
    namespaceLabels: { 'kuma.io/sidecar-injection': 'enabled' },
    // Workloads join the mesh their namespace's kuma.io/mesh label names: the run's own Mesh.
    meshNameLabel: 'kuma.io/mesh',
    optOut: { namespaceLabels: { 'kuma.io/sidecar-injection': 'disabled' } },
    sidecarContainers: ['kuma-sidecar'],
    injectedInitContainers: ['kuma-init'],
    enrolmentAnnotations: [{ name: 'kuma.io/sidecar-injected', value: 'true' }],
    meshObjects: kumaObjects,
    kinds: [
      { apiVersion: API, kind: 'Mesh', plural: 'meshes', namespaced: false },
      {
        apiVersion: API,
        kind: 'MeshIdentity',
        plural: 'meshidentities',
        namespaced: true,
        outsideRunNamespace: true,
      },
      { apiVersion: API, kind: 'MeshTrafficPermission', plural: 'meshtrafficpermissions', namespaced: true },
    ],
    // kuma-dp's Envoy admin (adminPort 9901, on localhost): /ready before load, /quitquitquit once k6 is done.
    proxyAdmin: { readyUrl: 'http://127.0.0.1:9901/ready', quitUrl: 'http://127.0.0.1:9901/quitquitquit' },
    sidecarImplementation: 'envoy (kuma-dp)',
    sidecarImage: 'docker.io/kumahq/kuma-dp',
    // kuma-cp's injector defaults (KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_*).
    sidecarDefaultResources: {
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '1000m', memory: '512Mi' },
    },
    requires: {
      crds: ['meshes', 'meshidentities', 'meshtrafficpermissions'].map((p) => ({
        name: `${p}.kuma.io`,
        fix: INSTALL,
      })),
      controlPlanes: [
        {
          what: 'kuma-control-plane (Kuma control plane)',
          fix: INSTALL,
          find: { deployment: 'app=kuma-control-plane' },
          namespace: SYSTEM_NAMESPACE,
          version: 'kuma',
          image: 'docker.io/kumahq/kuma-cp',
        },
      ],
    },
    notEnrolledHint:
      "Kuma's control plane (its injector) is missing or does not act on the namespace's kuma.io/sidecar-injection label; run `meshbench doctor --platform kubernetes`",
  },
};
