/** The Kubernetes platform's public API (see docs/KUBERNETES.md). */
export {
  kubernetesSettingsSchema,
  DEFAULT_KUBERNETES_SETTINGS,
  DEFAULT_K6_IMAGE,
  DEFAULT_SERVER_IMAGE,
} from './settings.js';
export type { KubernetesSettings, KubernetesSettingsInput } from './settings.js';
export { createKubernetesPlatform, supportsNativeSidecars } from './platform.js';
export type { KubernetesPlatform, KubernetesPlatformOptions } from './platform.js';
export { kubernetesPreflight, assertPreflight } from './preflight.js';
export type { PreflightCheck, PreflightInput } from './preflight.js';
export { cleanupKubernetes } from './teardown.js';
export { renderManifests, renderManifestsYaml, loadKindFor } from './render.js';
export type { RenderOptions, LoadCapabilities, LoadKind } from './render.js';
export type { ClusterInfo } from './environment.js';
