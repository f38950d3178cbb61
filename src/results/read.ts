import { readFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../errors.js';
import { describeIssue } from '../spec/validate.js';
import { RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, type ResultsFile } from './schema.js';
import { resultsFileSchema } from './validate.js';

/** Checks a parsed value against the results schema; throws a UserError listing what is wrong. */
export function parseResults(data: unknown, source: string): ResultsFile {
  const head = data as { schema?: unknown; schemaVersion?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.schema !== RESULTS_SCHEMA) {
    throw new UserError(
      `${source} is not a meshbench results file (no "schema": "${RESULTS_SCHEMA}")`,
      [],
      'pass the results.json that `meshbench run` wrote under reports/<run-id>/',
    );
  }
  if (head.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new UserError(
      `${source} has results schema version ${String(head.schemaVersion)}; this meshbench reads version ${RESULTS_SCHEMA_VERSION}`,
      [],
      'use the meshbench version that wrote the file, or re-run the benchmark with this one',
    );
  }
  const parsed = resultsFileSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 20).map(describeIssue);
    if (parsed.error.issues.length > 20) problems.push(`… and ${parsed.error.issues.length - 20} more`);
    throw new UserError(
      `${source} is not a valid results file`,
      problems,
      'the file may be truncated or hand-edited; re-run, or restore it from the run directory',
    );
  }
  return parsed.data as unknown as ResultsFile;
}

export async function readResults(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read results ${path}: ${errorMessage(e)}`,
      [],
      'check the path: reports/<run-id>/results.json',
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(
      `${path} is not valid JSON: ${errorMessage(e)}`,
      [],
      'the file is damaged or cut short; re-run the benchmark',
    );
  }
  return parseResults(data, path);
}
