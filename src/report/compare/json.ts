import type { Comparison } from '../../compare/types.js';

/**
 * The comparison as JSON (schema "meshbench/comparison", versioned). Infinity cannot be written in JSON, so
 * the comparison never holds it (relativeChange is null for a change from 0).
 */
export function renderCompareJson(c: Comparison): string {
  return JSON.stringify(c, null, 1) + '\n';
}
