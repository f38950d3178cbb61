import { createHash } from 'node:crypto';
import type { ModeName } from '../../modes/mode.js';

/**
 * Names and labels of everything a run creates. Cleanup finds objects again by these labels (never from
 * memory), so `meshbench cleanup` works from a fresh process after a crash.
 */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'meshbench';
export const RUN_LABEL = 'meshbench.io/run';
export const MODE_LABEL = 'meshbench.io/mode';
/** Pod role: `server` or `client` (the load pods). */
export const ROLE_LABEL = 'meshbench.io/role';
export const FIELD_MANAGER = 'meshbench';

export const SERVER_NAME = 'server';
export const SERVER_PORT = 8080;
/** fortio's gRPC port (its default, `-grpc-port 8079`), served and exposed when a tier calls gRPC. */
export const GRPC_PORT = 8079;
export const CLIENT_APP = 'client';
export const SCRIPT_CONFIGMAP = 'k6-script';

/** Short, stable hash of a run id: keeps namespace names within 63 characters whatever the spec name. */
export function runHash(runId: string): string {
  return createHash('sha256').update(runId).digest('hex').slice(0, 8);
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The run label's value: the run id itself when it is a valid label value, its hash otherwise. */
export function runLabelValue(runId: string): string {
  return runId.length <= 63 && LABEL_VALUE.test(runId) ? runId : `h-${runHash(runId)}`;
}

export function namespaceName(prefix: string, runId: string, mode: ModeName): string {
  return `${prefix}-${runHash(runId)}-${mode}`;
}

/** App Mesh meshes are cluster-scoped: one per run. */
export function meshName(prefix: string, runId: string): string {
  return `${prefix}-${runHash(runId)}`;
}

export function runLabels(runId: string, mode?: ModeName): Record<string, string> {
  return {
    [MANAGED_BY]: MANAGED_BY_VALUE,
    [RUN_LABEL]: runLabelValue(runId),
    ...(mode ? { [MODE_LABEL]: mode } : {}),
  };
}

/** Label selector for everything of one run, or of every meshbench run when runId is absent. */
export function runSelector(runId?: string): string {
  return runId === undefined
    ? `${MANAGED_BY}=${MANAGED_BY_VALUE},${RUN_LABEL}`
    : `${MANAGED_BY}=${MANAGED_BY_VALUE},${RUN_LABEL}=${runLabelValue(runId)}`;
}

export function serverHost(namespace: string): string {
  return `${SERVER_NAME}.${namespace}.svc.cluster.local`;
}

/** Job name of one load cell; unique within the namespace. */
export function loadJobName(tier: string, repetition: number): string {
  return `k6-${tier}-r${repetition}`.slice(0, 52);
}
