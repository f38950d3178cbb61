import { BUILTIN_SUPPORT } from '../engines/builtin/support.js';
import { K6_SUPPORT } from '../engines/k6/support.js';
import { KUBERNETES_SUPPORT } from '../platforms/kubernetes/support.js';
import { LOCAL_SUPPORT } from '../platforms/local/support.js';
import { assertLoadSupported, supportsFor } from '../spec/load-support.js';
import type { ResolvedSpec } from '../spec/schema.js';

/** Every engine's and platform's declaration (each in its own folder), in one registry object. */
export const LOAD_SUPPORT = {
  builtin: BUILTIN_SUPPORT,
  k6: K6_SUPPORT,
  local: LOCAL_SUPPORT,
  kubernetes: KUBERNETES_SUPPORT,
} as const;

/** Refuses (UserError, exit 2) a spec whose tiers the engine or platform cannot run; before anything starts. */
export function checkLoadSupport(spec: ResolvedSpec, engine: 'builtin' | 'k6' | 'auto'): void {
  assertLoadSupported(spec, supportsFor(spec.platform, engine, LOAD_SUPPORT));
}
