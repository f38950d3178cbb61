import { randomBytes } from 'node:crypto';

/** Sortable, unique, readable: 20261121-231500-default-3fa2. */
export function newRunId(specName: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${specName}-${randomBytes(2).toString('hex')}`;
}
