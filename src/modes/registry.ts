import { appmesh } from './appmesh.js';
import { baseline } from './baseline.js';
import { istioAmbient } from './istio-ambient.js';
import { istioSidecar } from './istio-sidecar.js';
import { istioWaypoint } from './istio-waypoint.js';
import { kuma } from './kuma.js';
import { linkerd } from './linkerd.js';
import type { ModeDefinition } from './mode.js';

/** Every mode, in the order reports list them. Adding a mesh: its file, then one entry here. */
const ALL = [baseline, istioSidecar, istioAmbient, istioWaypoint, appmesh, kuma, linkerd] as const;

export type ModeName = (typeof ALL)[number]['name'];

/** The names of a tuple of modes, as a tuple (a homomorphic mapped type keeps it one, for z.enum). */
type NamesOf<T extends readonly { name: string }[]> = {
  readonly [K in keyof T]: T[K] extends { name: infer N } ? N : never;
};

/** Every mode's name, in registry order (spec and results validation accept exactly these). */
export const MODE_NAMES = ALL.map((m) => m.name) as unknown as NamesOf<typeof ALL>;

/** The modes of the default run: every mode that is not opt-in. */
export const DEFAULT_MODE_NAMES: readonly ModeName[] = ALL.filter((m) => !m.optIn).map((m) => m.name);

/** An explicit registry (no import-time side effects): callers receive it and look modes up by name. */
export type ModeRegistry = ReadonlyMap<ModeName, ModeDefinition>;

export const modes: ModeRegistry = new Map<ModeName, ModeDefinition>(
  ALL.map((m) => [m.name, m as ModeDefinition]),
);

export function getMode(name: ModeName, registry: ModeRegistry = modes): ModeDefinition {
  const mode = registry.get(name);
  if (!mode) throw new Error(`mode ${name} is not registered`);
  return mode;
}
