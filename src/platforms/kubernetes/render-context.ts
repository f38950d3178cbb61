import type { MeshRun, ModeDefinition } from '../../modes/mode.js';
import { modes as defaultModes, type ModeRegistry } from '../../modes/registry.js';
import type { ResolvedSpec } from '../../spec/schema.js';
import { baseManifest } from './manifest-files.js';
import {
  CLIENT_APP,
  GRPC_PORT,
  meshName,
  namespaceName,
  runLabels,
  SERVER_NAME,
  serverHost,
} from './names.js';
import { servesGrpc } from './render-protocols.js';
import type { KubernetesSettings } from './settings.js';

/** Everything a renderer needs about one (run, mode). */
export interface RenderContext {
  runId: string;
  spec: ResolvedSpec;
  settings: KubernetesSettings;
  mode: ModeDefinition;
  /** Every registered mode: a mode outside every mesh carries the others' opt-outs. */
  registry: ModeRegistry;
  namespace: string;
  /** Labels every object of this (run, mode) carries. */
  labels: Record<string, string>;
}

export function renderContext(
  runId: string,
  spec: ResolvedSpec,
  settings: KubernetesSettings,
  mode: ModeDefinition,
  registry: ModeRegistry = defaultModes,
): RenderContext {
  return {
    runId,
    spec,
    settings,
    mode,
    registry,
    namespace: namespaceName(settings.namespacePrefix, runId, mode.name),
    labels: runLabels(runId, mode.name),
  };
}

/** What the mode's own Kubernetes functions see of the run. */
export function meshRun(ctx: RenderContext): MeshRun {
  return {
    runId: ctx.runId,
    namespace: ctx.namespace,
    meshName: meshName(ctx.settings.namespacePrefix, ctx.runId),
    settings: ctx.settings,
    serverHost: serverHost(ctx.namespace),
    ...(servesGrpc(ctx.spec) ? { grpcPort: GRPC_PORT } : {}),
    serverApp: SERVER_NAME,
    clientApp: CLIENT_APP,
    labels: ctx.labels,
    manifest: baseManifest,
  };
}

/** Other registered modes whose opt-outs a mode outside every mesh carries (none for the others). */
export function optOutsFor(ctx: RenderContext): NonNullable<ModeDefinition['kubernetes']['optOut']>[] {
  if (!ctx.mode.kubernetes.outsideEveryMesh) return [];
  return [...ctx.registry.values()]
    .filter((m) => m.name !== ctx.mode.name)
    .flatMap((m) => (m.kubernetes.optOut ? [m.kubernetes.optOut] : []));
}
