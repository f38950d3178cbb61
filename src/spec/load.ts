import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { UserError, errorMessage } from '../errors.js';
import { resolveSpec } from './validate.js';
import type { ResolvedSpec } from './schema.js';

/** Reads what the user wrote in a spec file (YAML or JSON; JSON is YAML), unvalidated. */
export async function readSpecInput(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read spec ${path}: ${errorMessage(e)}`,
      [],
      'check the path, or run without a spec file to use the embedded default',
    );
  }
  if (text.trim() === '')
    throw new UserError(
      `spec ${path} is empty`,
      [],
      'put the fields to change in it (every field is in examples/spec.yaml), or leave the spec argument out to run the embedded default',
    );
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new UserError(
      `spec ${path} is not valid YAML or JSON`,
      [errorMessage(e)],
      'fix the syntax at the line shown',
    );
  }
  if (data === null || data === undefined)
    // Only comments, or `~`: as empty. (An explicit `{}` still asks for the default, in so many words.)
    throw new UserError(
      `spec ${path} holds no fields`,
      [],
      'put the fields to change in it (every field is in examples/spec.yaml), or leave the spec argument out to run the embedded default',
    );
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError(
      `spec ${path} must be a mapping of fields (name, modes, tiers, …), not a ${Array.isArray(data) ? 'list' : typeof data}`,
      [],
      'see examples/spec.yaml',
    );
  }
  return data as Record<string, unknown>;
}

/** Reads and resolves a spec file; no file: the embedded default. `overrides` (from flags) win over the file. */
export async function loadSpec(
  path?: string,
  overrides: Record<string, unknown> = {},
): Promise<ResolvedSpec> {
  const input = path ? await readSpecInput(path) : {};
  const merged: Record<string, unknown> = { ...input };
  for (const [k, v] of Object.entries(overrides)) {
    const cur = merged[k];
    merged[k] =
      typeof cur === 'object' &&
      cur !== null &&
      !Array.isArray(cur) &&
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v)
        ? { ...cur, ...v }
        : v;
  }
  return resolveSpec(merged, path ? `spec ${path}` : 'default spec');
}
