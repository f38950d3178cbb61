import type { ZodIssue } from 'zod';
import { UserError } from '../errors.js';
import { consistencyProblems } from './consistency.js';
import { closestField, fieldsAt } from './field-names.js';
import { mergeWithDefaults } from './merge.js';
import { specSchema, type ResolvedSpec } from './schema.js';

function pathOf(issue: ZodIssue): string {
  if (issue.path.length === 0) return '(spec)';
  return issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Turns a zod issue into "field.path: what is wrong (what to do)". With `knownFields` (the fields the schema
 * accepts at a path), an unknown field also gets the nearest known one: "did you mean 'repetitions'?".
 */
export function describeIssue(
  issue: ZodIssue,
  knownFields?: (path: readonly (string | number)[]) => string[],
): string {
  const at = pathOf(issue);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownFields?.(issue.path) ?? [];
      const guesses = issue.keys.flatMap((k) => {
        const g = closestField(k, known);
        return g ? [`'${k}': did you mean '${g}'?`] : [];
      });
      return (
        `${at}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} ` +
        `(${guesses.length > 0 ? `${guesses.join('; ')} ` : ''}remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling; ` +
        `${known.length > 0 ? `fields here: ${known.join(', ')}; ` : ''}examples/spec.yaml shows every field with a comment)`
      );
    }
    case 'invalid_enum_value':
      return `${at}: '${String(issue.received)}' is not one of ${issue.options.map((o) => `'${String(o)}'`).join(', ')}`;
    case 'invalid_type':
      return `${at}: expected ${issue.expected}, got ${issue.received}`;
    default:
      return `${at}: ${issue.message}`;
  }
}

/** Resolves a user spec (already parsed from YAML/JSON) into a full spec, or throws a UserError listing every problem. */
export function resolveSpec(user: unknown, source = 'spec'): ResolvedSpec {
  const parsed = specSchema.safeParse(mergeWithDefaults(user));
  const problems = parsed.success
    ? consistencyProblems(parsed.data)
    : parsed.error.issues.map((i) => describeIssue(i, (path) => fieldsAt(specSchema, path)));
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new UserError(
    `${source} is not valid (${problems.length} problem${problems.length > 1 ? 's' : ''})`,
    problems,
    'fix the fields above; `meshbench plan <spec>` checks a spec without running anything',
  );
}
