import { DEFAULT_SPEC } from './defaults.js';
import { tierDefaults } from './tier-defaults.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merges objects; arrays and scalars from `over` replace those in `base`. */
function mergeDeep(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? mergeDeep(b, v) : v;
  }
  return out;
}

/**
 * Lays what the user wrote over the defaults, before validation. Unknown fields are kept on purpose so that
 * validation reports them with their path instead of dropping them silently.
 */
export function mergeWithDefaults(user: unknown): unknown {
  if (user === undefined || user === null) return structuredClone(DEFAULT_SPEC);
  if (!isObject(user)) return user; // validation reports "expected object"
  const merged = mergeDeep(structuredClone(DEFAULT_SPEC) as unknown as Json, user);
  if (Array.isArray(user.tiers)) {
    merged.tiers = user.tiers.map((t: unknown) =>
      isObject(t) ? { ...tierDefaults(t.name, t.rps), ...t } : t,
    );
  }
  return merged;
}
