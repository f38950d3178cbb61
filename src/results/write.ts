import { writeFileAtomically } from '../files/atomic-files.js';

/**
 * Writes a file atomically: a temp file in the same directory, fsync, rename. A reader (or a crash at any
 * moment) sees either the old complete file or the new complete file, never half of one; a failure leaves
 * no temp file behind and is a UserError naming the path when the user can fix it (files/fs-error.ts).
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await writeFileAtomically(path, data);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 1) + '\n');
}
