/** Minimal flag reading for bench scripts (`--name value`, `--flag`); benches are not part of the CLI. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

export function hasFlag(name: string): boolean {
  return process.argv.includes(name);
}

export function argNumber(name: string): number | undefined {
  const v = argValue(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} takes a positive number, got '${v}'`);
  return n;
}

/** A comma-separated list of positive numbers, e.g. `--rates 100,1000`. */
export function argNumbers(name: string): number[] | undefined {
  const v = argValue(name);
  if (v === undefined) return undefined;
  const xs = v.split(',').map(Number);
  if (xs.some((n) => !Number.isFinite(n) || n <= 0))
    throw new Error(`${name} takes positive numbers, got '${v}'`);
  return xs;
}
