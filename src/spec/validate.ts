import type { ZodIssue } from 'zod';
import { UserError } from '../errors.js';
import { mergeWithDefaults } from './merge.js';
import { specSchema, type ResolvedSpec } from './schema.js';

function pathOf(issue: ZodIssue): string {
  if (issue.path.length === 0) return '(spec)';
  return issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Turns a zod issue into "field.path: what is wrong (what to do)". */
export function describeIssue(issue: ZodIssue): string {
  const at = pathOf(issue);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${at}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling; \`meshbench plan --help\` lists the fields)`;
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
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(describeIssue);
  throw new UserError(
    `${source} is not valid (${problems.length} problem${problems.length > 1 ? 's' : ''})`,
    problems,
    'fix the fields above; `meshbench plan <spec>` checks a spec without running anything',
  );
}
