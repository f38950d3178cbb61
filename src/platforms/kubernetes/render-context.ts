import type { ModeDefinition } from '../../modes/mode.js';
import type { ResolvedSpec } from '../../spec/schema.js';
import { meshName, namespaceName, runLabels } from './names.js';
import type { KubernetesSettings } from './settings.js';

/** Everything a renderer needs about one (run, mode). */
export interface RenderContext {
  runId: string;
  spec: ResolvedSpec;
  settings: KubernetesSettings;
  mode: ModeDefinition;
  namespace: string;
  /** Labels every object of this (run, mode) carries. */
  labels: Record<string, string>;
}

export function renderContext(
  runId: string,
  spec: ResolvedSpec,
  settings: KubernetesSettings,
  mode: ModeDefinition,
): RenderContext {
  return {
    runId,
    spec,
    settings,
    mode,
    namespace: namespaceName(settings.namespacePrefix, runId, mode.name),
    labels: runLabels(runId, mode.name),
  };
}

/** The run's App Mesh mesh name, when the mode uses one. */
export function appMeshName(ctx: RenderContext): string | undefined {
  return ctx.mode.kubernetes.appMesh ? meshName(ctx.settings.namespacePrefix, ctx.runId) : undefined;
}
