import type {
  KubeConfig,
  V1CustomResourceDefinition,
  V1DaemonSet,
  V1Deployment,
} from '@kubernetes/client-node';
import { UserError } from '../../errors.js';
import type { ModeDefinition } from '../../modes/mode.js';
import { modes as defaultModes, type ModeRegistry } from '../../modes/registry.js';
import type { ResolvedSpec } from '../../spec/schema.js';
import type { KubeClients } from './client.js';
import { apiErrorMessage, isNotFound, loadKubeConfig, makeClients } from './client.js';
import { findControlPlane, requiredControlPlanes, type RequiredControlPlane } from './control-planes.js';
import { declaredKinds, groupVersion } from './mesh-kinds.js';
import { namespaceName } from './names.js';
import type { KubernetesSettings } from './settings.js';
import { daemonSetReady, deploymentReady } from './wait.js';

export interface PreflightCheck {
  check: string;
  ok: boolean;
  detail: string;
  /** What to do when !ok. */
  fix: string;
}

interface Access {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Checked in one of the run's (future) namespaces; cluster-wide when absent. */
  namespaced: boolean;
}

const TESTRUN_CRD = 'testruns.k6.io';

/** Everything the run will do through the API, as (verb, resource) pairs for SelfSubjectAccessReview. */
export function requiredAccess(
  modeDefs: ModeDefinition[],
  settings: KubernetesSettings,
  useTestRun: boolean,
): Access[] {
  const a: Access[] = [];
  const add = (
    verbs: string[],
    group: string,
    resource: string,
    namespaced: boolean,
    subresource?: string,
  ) => {
    for (const verb of verbs)
      a.push({ verb, group, resource, namespaced, ...(subresource ? { subresource } : {}) });
  };
  const apply = ['get', 'create', 'patch', 'delete'];
  add([...apply, 'list'], '', 'namespaces', false);
  add(apply, 'apps', 'deployments', true);
  add(apply, '', 'services', true);
  add(apply, '', 'configmaps', true);
  add([...apply, 'list'], 'batch', 'jobs', true);
  add(['get', 'list'], '', 'pods', true);
  add(['get'], '', 'pods', true, 'log');
  add(['list'], '', 'events', true);
  add(['list'], '', 'pods', false);
  add(['list'], 'apps', 'deployments', false);
  add(['list'], 'apps', 'daemonsets', false);
  add(['list'], '', 'nodes', false);
  add(['get'], 'apiextensions.k8s.io', 'customresourcedefinitions', false);
  if (settings.prometheusUrl === undefined) add(['get', 'list'], 'metrics.k8s.io', 'pods', true);
  // The modes' mesh kinds: applied in the run's namespaces, or cluster-wide (and listed by teardown) when
  // cluster-scoped or placed in another namespace.
  for (const k of declaredKinds(modeDefs)) {
    const { group } = groupVersion(k.apiVersion);
    const inRunNamespace = k.namespaced && !k.outsideRunNamespace;
    add(inRunNamespace ? apply : [...apply, 'list'], group, k.plural, inRunNamespace);
  }
  if (useTestRun) add(apply, 'k6.io', 'testruns', true);
  return a;
}

function established(crd: V1CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

async function crdCheck(
  clients: KubeClients,
  name: string,
  fix: string,
  mode: string,
): Promise<PreflightCheck> {
  const check = `${mode}: CRD ${name}`;
  try {
    const crd = await clients.ext.readCustomResourceDefinition({ name });
    const versions = crd.spec.versions.filter((v) => v.served).map((v) => v.name);
    if (!established(crd)) return { check, ok: false, detail: 'present but not Established', fix };
    return { check, ok: true, detail: `served versions ${versions.join(', ')}`, fix };
  } catch (e) {
    return { check, ok: false, detail: isNotFound(e) ? 'not installed' : apiErrorMessage(e), fix };
  }
}

async function modeChecks(
  clients: KubeClients,
  mode: ModeDefinition,
  settings: KubernetesSettings,
): Promise<PreflightCheck[]> {
  const req = mode.kubernetes.requires ?? {};
  const out: PreflightCheck[] = [];
  for (const c of req.crds ?? []) out.push(await crdCheck(clients, c.name, c.fix, mode.name));
  for (const r of requiredControlPlanes(mode, settings)) {
    const check = `${mode.name}: ${r.plane.what}`;
    const fix = r.plane.fix;
    try {
      const found = await findControlPlane(clients, r);
      out.push(
        found.kind === 'Deployment'
          ? deploymentCheck(check, r, found.all, found.matching)
          : daemonSetCheck(check, r, found.all),
      );
    } catch (e) {
      out.push({ check, ok: false, detail: apiErrorMessage(e), fix });
    }
  }
  return out;
}

function deploymentCheck(
  check: string,
  r: RequiredControlPlane,
  all: V1Deployment[],
  candidates: V1Deployment[],
): PreflightCheck {
  const { what, fix } = r.plane;
  const selector = 'deployment' in r.plane.find ? r.plane.find.deployment : '';
  const ready = candidates.filter(deploymentReady);
  const where = candidates.map((x) => `${x.metadata?.namespace ?? ''}/${x.metadata?.name ?? ''}`).join(', ');
  if (candidates.length === 0) {
    const rev = r.revision;
    const found = all.map((x) => (rev && x.metadata?.labels?.[rev.label]) || 'default').join(', ');
    return {
      check,
      ok: false,
      detail:
        all.length > 0 && rev
          ? `no ${what} of revision ${rev.value} (found revisions: ${found})`
          : `no Deployment matches ${selector}`,
      fix,
    };
  }
  if (ready.length === 0)
    return {
      check,
      ok: false,
      detail: `${where} not available`,
      fix: `check its pods: kubectl -n ${candidates[0]?.metadata?.namespace ?? ''} get pods`,
    };
  return { check, ok: true, detail: `${where} available`, fix };
}

function daemonSetCheck(check: string, r: RequiredControlPlane, list: V1DaemonSet[]): PreflightCheck {
  const fix = r.plane.fix;
  const name = 'daemonSet' in r.plane.find ? r.plane.find.daemonSet : '';
  const first = list[0];
  if (!first) return { check, ok: false, detail: `no DaemonSet ${name}`, fix };
  const ns = first.metadata?.namespace ?? '';
  const counts = `${first.status?.numberReady ?? 0}/${first.status?.desiredNumberScheduled ?? 0} ready`;
  if (!daemonSetReady(first))
    return {
      check,
      ok: false,
      detail: `DaemonSet ${ns}/${name}: ${counts}`,
      fix: `check its pods: kubectl -n ${ns} get pods -l app=${name}`,
    };
  return { check, ok: true, detail: `${ns}/${name} ${counts}`, fix };
}

async function accessChecks(
  clients: KubeClients,
  access: Access[],
  namespace: string,
): Promise<PreflightCheck> {
  const denied: string[] = [];
  for (const a of access) {
    const res = await clients.auth.createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            verb: a.verb,
            group: a.group,
            resource: a.resource,
            ...(a.subresource ? { subresource: a.subresource } : {}),
            ...(a.namespaced ? { namespace } : {}),
          },
        },
      },
    });
    if (!res.status?.allowed)
      denied.push(
        `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.group ? `.${a.group}` : ''}${a.namespaced ? ' (in the run namespaces)' : ''}`,
      );
  }
  return {
    check: 'permissions',
    ok: denied.length === 0,
    detail: denied.length === 0 ? `all ${access.length} operations allowed` : `denied: ${denied.join('; ')}`,
    fix: 'grant these verbs to your user (a ClusterRole bound with a ClusterRoleBinding), or use a context with more rights',
  };
}

async function metricsCheck(clients: KubeClients, settings: KubernetesSettings): Promise<PreflightCheck> {
  if (settings.prometheusUrl !== undefined) {
    const check = `metrics source: Prometheus ${settings.prometheusUrl}`;
    const fix =
      'make kubernetes.prometheusUrl reachable from this machine (e.g. kubectl port-forward svc/prometheus 9090) or leave it out to use metrics.k8s.io';
    try {
      const url = new URL(
        'api/v1/query?query=up',
        settings.prometheusUrl.endsWith('/') ? settings.prometheusUrl : `${settings.prometheusUrl}/`,
      );
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      return { check, ok: res.ok, detail: res.ok ? 'answers queries' : `HTTP ${res.status}`, fix };
    } catch (e) {
      return { check, ok: false, detail: apiErrorMessage(e), fix };
    }
  }
  const check = 'metrics source: metrics.k8s.io';
  const fix =
    'install metrics-server (kubectl apply -f components.yaml from kubernetes-sigs/metrics-server; on kind add --kubelet-insecure-tls) or set kubernetes.prometheusUrl';
  try {
    await clients.metrics.getPodMetrics('kube-system');
    return { check, ok: true, detail: 'serves pod metrics', fix };
  } catch (e) {
    return { check, ok: false, detail: apiErrorMessage(e), fix };
  }
}

/** Whether the k6-operator's TestRun CRD is installed. */
export async function hasK6Operator(clients: KubeClients): Promise<boolean> {
  try {
    return established(await clients.ext.readCustomResourceDefinition({ name: TESTRUN_CRD }));
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

export interface PreflightInput {
  spec: ResolvedSpec;
  settings: KubernetesSettings;
  runId?: string;
  kubeConfig?: KubeConfig;
  registry?: ModeRegistry;
}

/**
 * `meshbench doctor --platform kubernetes`, and the first step of a run: every check, each with its fix.
 * Creates nothing. The API check comes first; when it fails nothing else can be asked.
 */
export async function kubernetesPreflight(input: PreflightInput): Promise<PreflightCheck[]> {
  const registry = input.registry ?? defaultModes;
  let clients: KubeClients;
  try {
    clients = makeClients(input.kubeConfig ?? loadKubeConfig(input.settings.context));
  } catch (e) {
    return [
      {
        check: 'kubeconfig',
        ok: false,
        detail: e instanceof Error ? e.message : String(e),
        fix:
          e instanceof UserError && e.fix ? e.fix : 'set KUBECONFIG to a kubeconfig with a current context',
      },
    ];
  }
  const checks: PreflightCheck[] = [];
  try {
    const v = await clients.version.getCode();
    checks.push({
      check: 'API server reachable',
      ok: true,
      detail: `Kubernetes ${v.gitVersion} (context ${clients.context})`,
      fix: '',
    });
  } catch (e) {
    checks.push({
      check: 'API server reachable',
      ok: false,
      detail: `${clients.kc.getCurrentCluster()?.server ?? '?'}: ${apiErrorMessage(e)}`,
      fix: 'start the cluster or fix KUBECONFIG / kubernetes.context; `kubectl cluster-info` must work',
    });
    return checks;
  }
  const modeDefs = input.spec.modes
    .map((m) => registry.get(m))
    .filter((m): m is ModeDefinition => m !== undefined);
  let operator = false;
  try {
    operator = input.settings.k6Parallelism > 1 && (await hasK6Operator(clients));
  } catch (e) {
    checks.push({
      check: 'k6-operator',
      ok: false,
      detail: apiErrorMessage(e),
      fix: 'allow get on customresourcedefinitions',
    });
  }
  const firstMode = modeDefs[0]?.name ?? 'baseline';
  const ns = namespaceName(input.settings.namespacePrefix, input.runId ?? 'preflight', firstMode);
  try {
    checks.push(await accessChecks(clients, requiredAccess(modeDefs, input.settings, operator), ns));
  } catch (e) {
    checks.push({
      check: 'permissions',
      ok: false,
      detail: `SelfSubjectAccessReview failed: ${apiErrorMessage(e)}`,
      fix: 'allow create on selfsubjectaccessreviews.authorization.k8s.io (every authenticated user has it by default)',
    });
  }
  for (const m of modeDefs) checks.push(...(await modeChecks(clients, m, input.settings)));
  checks.push(await metricsCheck(clients, input.settings));
  if (input.settings.k6Parallelism > 1) {
    checks.push({
      check: 'distributed load',
      ok: true,
      detail: operator
        ? `k6-operator installed: TestRun with parallelism ${input.settings.k6Parallelism} (indexed Job for modes with a classic sidecar)`
        : `no k6-operator: an indexed Job of ${input.settings.k6Parallelism} pods, each one k6 execution segment`,
      fix: '',
    });
  }
  return checks;
}

/** Throws a UserError listing every failed check and its fix; nothing has been created at this point. */
export function assertPreflight(checks: PreflightCheck[]): void {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length === 0) return;
  throw new UserError(
    `Kubernetes preflight failed: ${failed.length} problem${failed.length > 1 ? 's' : ''}; nothing was created`,
    failed.map((c) => `${c.check}: ${c.detail}\n    fix: ${c.fix}`),
    'fix the problems above, then run `meshbench doctor --platform kubernetes` again',
  );
}
