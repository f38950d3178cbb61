import { writeFileAtomically } from './atomic-files.js';

/**
 * Writes a JSON document atomically (atomic-files.ts): a reader, or a crash at any moment, sees the old
 * complete file or the new one, never half of one. One space of indent, as results.json has always been
 * written.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomically(path, JSON.stringify(value, null, 1) + '\n');
}
