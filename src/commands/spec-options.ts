import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { UserError } from '../errors.js';
import { MODE_NAMES } from '../modes/mode.js';
import { quickPreset } from '../spec/defaults.js';
import { loadSpec } from '../spec/load.js';
import type { ResolvedSpec } from '../spec/schema.js';

export interface SpecFlags {
  quick?: boolean;
  modes?: string;
  tiers?: string;
  repetitions?: string;
  delayMs?: string;
  engine?: string;
  platform?: string;
}

/** Options shared by `run` and `plan`: both must resolve the very same spec. */
export function addSpecOptions(cmd: Command): Command {
  return cmd
    .argument(
      '[spec]',
      'spec file (YAML or JSON); omitted: the embedded default (5 modes x 3 tiers x 10 repetitions)',
    )
    .option(
      '--quick',
      'quick preset: the whole matrix, at most 3 repetitions (unless --repetitions is given), windows of at most 2 s after at most 0.5 s warm-up (1.5 s from 1000 RPS; the default tiers warm up 1 s; k6 warms up at least 1 s); about 2 minutes locally',
    )
    .option('--modes <list>', 'comma-separated modes to run, e.g. baseline,istio-sidecar')
    .option('--tiers <list>', 'comma-separated tier names to keep from the spec, e.g. low,medium')
    .option('--repetitions <n>', 'repetitions of every (mode, tier) cell')
    .option('--delay-ms <ms>', "the app's fixed service time per request, milliseconds (app.delayMs)")
    .addOption(
      new Option('--engine <engine>', 'load engine (auto: k6 when on PATH, else builtin)').choices([
        'auto',
        'builtin',
        'k6',
      ]),
    )
    .addOption(new Option('--platform <platform>', 'where workloads run').choices(['local', 'kubernetes']));
}

/** A comma-separated flag value as a list; a value that names nothing (`--tiers ,`) is refused, not ignored. */
function listFlag(flag: string, v: string, example: string): string[] {
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new UserError(
      `${flag} '${v}' names nothing`,
      [],
      `give a comma-separated list, e.g. ${flag} ${example}`,
    );
  return items;
}

function num(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UserError(`${flag} expects a number, got '${v}'`, [], `e.g. ${flag} 3`);
  return n;
}

/** Loads the spec and applies flags. Flags are validated like spec fields (same messages, exit 2). */
export async function resolveSpecFromFlags(
  specPath: string | undefined,
  f: SpecFlags,
): Promise<ResolvedSpec> {
  if (specPath !== undefined && (MODE_NAMES as readonly string[]).includes(specPath) && !existsSync(specPath))
    throw new UserError(
      `'${specPath}' is a mode, not a spec file`,
      [],
      'lists are one argument, comma-separated without spaces: --modes baseline,istio-sidecar',
    );
  const overrides: Record<string, unknown> = {};
  if (f.modes !== undefined) overrides.modes = listFlag('--modes', f.modes, 'baseline,istio-sidecar');
  if (f.repetitions !== undefined) overrides.repetitions = num('--repetitions', f.repetitions);
  if (f.delayMs !== undefined) overrides.app = { delayMs: num('--delay-ms', f.delayMs) };
  if (f.engine) overrides.engine = f.engine;
  if (f.platform) overrides.platform = f.platform;
  let spec = await loadSpec(specPath, overrides);
  if (f.tiers !== undefined) {
    const keep = listFlag('--tiers', f.tiers, spec.tiers.map((t) => t.name).join(','));
    const unknown = keep.filter((k) => !spec.tiers.some((t) => t.name === k));
    if (unknown.length)
      throw new UserError(
        `--tiers names unknown tier${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
        [],
        `tiers in this spec: ${spec.tiers.map((t) => t.name).join(', ')}`,
      );
    spec = { ...spec, tiers: spec.tiers.filter((t) => keep.includes(t.name)) };
  }
  // --quick caps repetitions at 3, but an explicit --repetitions (already validated by loadSpec) wins.
  if (f.quick)
    spec = {
      ...quickPreset(spec),
      ...(f.repetitions !== undefined ? { repetitions: spec.repetitions } : {}),
    };
  return spec;
}
