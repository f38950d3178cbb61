import {
  ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  AuthorizationV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  Metrics,
  VersionApi,
} from '@kubernetes/client-node';
import { UserError } from '../../errors.js';

/** The typed API clients the platform uses, all from one kubeconfig. */
export interface KubeClients {
  kc: KubeConfig;
  context: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  auth: AuthorizationV1Api;
  ext: ApiextensionsV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
  version: VersionApi;
  metrics: Metrics;
}

/** The user's kubeconfig (KUBECONFIG or ~/.kube/config, or in-cluster), switched to `context` when given. */
export function loadKubeConfig(context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      throw new UserError(
        `kubeconfig has no context "${context}"`,
        [
          `contexts: ${
            kc
              .getContexts()
              .map((c) => c.name)
              .join(', ') || 'none'
          }`,
        ],
        'set kubernetes.context to one of them, or leave it out to use the current context',
      );
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) {
    throw new UserError(
      'no Kubernetes cluster is configured',
      ['kubeconfig has no current cluster'],
      'set KUBECONFIG (or ~/.kube/config) to a cluster and select a context: kubectl config use-context <name>',
    );
  }
  return kc;
}

export function makeClients(kc: KubeConfig): KubeClients {
  return {
    kc,
    context: kc.getCurrentContext(),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    auth: kc.makeApiClient(AuthorizationV1Api),
    ext: kc.makeApiClient(ApiextensionsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
    version: kc.makeApiClient(VersionApi),
    metrics: new Metrics(kc),
  };
}

/** HTTP status of an API error, or undefined for a network error. */
export function apiStatus(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}

export function isNotFound(e: unknown): boolean {
  return apiStatus(e) === 404;
}

/**
 * One line for an API error: the API server's own message (ApiException's message carries headers and the
 * whole body), or the network error.
 */
export function apiErrorMessage(e: unknown): string {
  if (e instanceof ApiException) {
    const body: unknown = typeof e.body === 'string' ? safeJson(e.body) : e.body;
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String((body as { message: unknown }).message)
        : undefined;
    return `HTTP ${e.code}${message ? `: ${message}` : ''}`;
  }
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && !e.message.includes(code) ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return { message: s };
  }
}
