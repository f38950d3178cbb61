import { appmesh } from './appmesh.js';
import { baseline } from './baseline.js';
import { istioAmbient } from './istio-ambient.js';
import { istioSidecar } from './istio-sidecar.js';
import { istioWaypoint } from './istio-waypoint.js';
import type { ModeDefinition, ModeName } from './mode.js';

/** An explicit registry (no import-time side effects): callers receive it and look modes up by name. */
export type ModeRegistry = ReadonlyMap<ModeName, ModeDefinition>;

export const modes: ModeRegistry = new Map<ModeName, ModeDefinition>(
  [baseline, istioSidecar, istioAmbient, istioWaypoint, appmesh].map((m) => [m.name, m]),
);

export function getMode(name: ModeName, registry: ModeRegistry = modes): ModeDefinition {
  const mode = registry.get(name);
  if (!mode) throw new Error(`mode ${name} is not registered`);
  return mode;
}
