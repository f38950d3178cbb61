import { readFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../errors.js';
import { describeIssue } from '../spec/validate.js';
import { nonFiniteNumbers, plausibilityProblems } from './plausibility.js';
import { runOwnerGone } from './run-owner.js';
import { RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, type ResultsFile } from './schema.js';
import { resultsFileSchema } from './validate.js';

function refuse(source: string, problems: string[], what = 'is not a valid results file'): never {
  const shown = problems.slice(0, 20);
  if (problems.length > 20) shown.push(`… and ${problems.length - 20} more`);
  throw new UserError(
    `${source} ${what}`,
    shown,
    'the file may be truncated or hand-edited; re-run, or restore it from the run directory',
  );
}

/**
 * A run whose results still say "running" although the process that wrote them is gone (killed with
 * SIGKILL, crashed, rebooted) is read as interrupted: that is what it is, and no report should call it
 * "running". Only decidable on the host that ran it (see run-owner.ts); elsewhere it stays as written.
 */
function settleAbandonedRun(r: ResultsFile): ResultsFile {
  if (r.status !== 'running' || !r.runner || !runOwnerGone(r.runner)) return r;
  return {
    ...r,
    status: 'interrupted',
    error:
      `the meshbench process that ran it (pid ${r.runner.pid} on ${r.runner.hostname}) ended without ` +
      'finishing it (killed with SIGKILL, crashed, or the machine rebooted); figures cover the cells it had saved',
  };
}

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
  const infinite = nonFiniteNumbers(data);
  if (infinite.length > 0) refuse(source, infinite, 'holds numbers that are not finite');
  const parsed = resultsFileSchema.safeParse(data);
  if (!parsed.success)
    refuse(
      source,
      parsed.error.issues.map((i) => describeIssue(i)),
    );
  const results = parsed.data as unknown as ResultsFile;
  const implausible = plausibilityProblems(results);
  if (implausible.length > 0) refuse(source, implausible, 'holds figures that cannot be right');
  return settleAbandonedRun(results);
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
