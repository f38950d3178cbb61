import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';

/** A file a command reads or writes, with what the user knows it as ("the baseline results", "--json"). */
export interface NamedPath {
  label: string;
  path: string;
}

/** Refuses an empty path flag (`--out ''`), which would otherwise mean "the current directory". */
export function requirePathFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '')
    throw new UserError(
      `${flag} is empty`,
      [],
      `give ${flag} a path (an empty one would write into the current directory), or leave ${flag} out`,
    );
  return value;
}

async function identity(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path); // follows symbolic links: a link to an input is that input
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/** Whether two paths are one existing file (by device and inode). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = [await identity(a), await identity(b)];
  return x !== undefined && x === y;
}

/**
 * No output may replace an input: refuses (UserError, exit 2) when any output is the same file as any input,
 * whichever way it is spelt (`./a.json` and `a.json`, a symbolic link, a hard link): files are compared by
 * device and inode, not by name. Outputs that do not exist yet cannot be an input. Also refuses two outputs
 * that are one file (the second would replace the first).
 */
export async function assertOutputsSpareInputs(
  inputs: readonly NamedPath[],
  outputs: readonly NamedPath[],
): Promise<void> {
  const byId = new Map<string, NamedPath>();
  for (const i of inputs) {
    const id = await identity(i.path);
    if (id !== undefined && !byId.has(id)) byId.set(id, i);
  }
  const problems: string[] = [];
  const outputsById = new Map<string, NamedPath>();
  const outputsByName = new Map<string, NamedPath>();
  for (const o of outputs) {
    const id = await identity(o.path);
    const input = id === undefined ? undefined : byId.get(id);
    if (input) {
      problems.push(
        `${o.label} ${resolve(o.path)} is ${input.label} ${resolve(input.path)}: writing it would replace that input`,
      );
      continue;
    }
    const twin = (id === undefined ? undefined : outputsById.get(id)) ?? outputsByName.get(resolve(o.path));
    if (twin) problems.push(`${o.label} and ${twin.label} are the same file ${resolve(o.path)}`);
    if (id !== undefined) outputsById.set(id, o);
    outputsByName.set(resolve(o.path), o);
  }
  if (problems.length > 0)
    throw new UserError(
      problems.length === 1 ? (problems[0] as string) : 'outputs would replace inputs or each other',
      problems.length === 1 ? [] : problems,
      'write the outputs somewhere else: no output of meshbench ever replaces a file it reads',
    );
}
