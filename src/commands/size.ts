import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UserError, errorMessage } from '../errors.js';
import { MODE_NAMES, type ModeName } from '../modes/mode.js';
import { renderSizingCsv } from '../report/size/csv.js';
import { renderSizingSummary } from '../report/size/markdown.js';
import { loadBrowserBundles } from '../report/shared/vega-assets.js';
import {
  renderSizingFiles,
  renderSizingJson,
  SIZING_FILE_NAMES,
  writeSizingFiles,
} from '../report/size/write.js';
import { assertOutputsSpareInputs, requirePathFlag } from '../files/output-guard.js';
import { readResults } from '../results/read.js';
import { sizingInputs, type LoadedResults, type SizingOverrides } from '../size/inputs.js';
import { inventoryFormat, parseInventory, type InventoryFormat } from '../size/inventory-parse.js';
import type { Inventory } from '../size/inventory.js';
import { parseRpsFile } from '../size/rps-file.js';
import { sizeInventory } from '../size/size-inventory.js';
import { displayPath } from './console-format.js';
import type { CommandIO } from './io.js';
import { returning, type Outcome } from './outcome.js';
import { ExitCode } from '../exit-codes.js';

interface SizeFlags {
  results: string[];
  fromCluster?: boolean;
  rps?: string;
  context?: string;
  out?: string;
  modes?: string;
  format: 'md' | 'csv' | 'json';
  html: boolean;
  headroom?: string;
  cpuLimitFactor?: string;
  memLimitFactor?: string;
  minCpu?: string;
  minMem?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function registerSize(program: Command, io: CommandIO, outcome: Outcome): void {
  program
    .command('size')
    .description(
      'pre-migration capacity sizing: proxy requests, limits and $/month per mode for an inventory of services,\n' +
        'from proxy CPU and memory fitted against RPS in one or more results.json files',
    )
    .argument(
      '[inventory]',
      'inventory of services: .yaml/.yml/.json or .csv (see examples/inventory.yaml and docs/SIZING.md)',
    )
    .option(
      '--results <path>',
      'a results.json written by `meshbench run` (repeat to fit over several runs)',
      collect,
      [],
    )
    .option(
      '--from-cluster',
      'read Deployments from the current kubeconfig instead of an inventory file (needs --rps)',
    )
    .option(
      '--rps <file>',
      'with --from-cluster: peak and average RPS per pod per Deployment (namespace/name), YAML or CSV',
    )
    .option('--context <name>', 'with --from-cluster: kubeconfig context (default: the current one)')
    .option(
      '--out <dir>',
      'directory for sizing.md, .csv, .html, .json (default: sizing/ next to the first results file)',
    )
    .option('--modes <list>', 'comma-separated modes to size (default: every mode the results measured)')
    .option(
      '--headroom <fraction>',
      "over the model at peak RPS, e.g. 0.3 (default: the results' spec.sizing.headroom)",
    )
    .option('--cpu-limit-factor <x>', 'CPU limit = request x this')
    .option('--mem-limit-factor <x>', 'memory limit = request x this')
    .option('--min-cpu <millicores>', 'smallest CPU request of any proxy, millicores')
    .option('--min-mem <MiB>', 'smallest memory request of any proxy, MiB')
    .addOption(
      new Option(
        '--format <format>',
        'what to print on stdout: the Markdown summary, the per-proxy CSV, or the JSON',
      )
        .choices(['md', 'csv', 'json'])
        .default('md'),
    )
    .option('--no-html', 'skip the HTML page (it inlines Vega, about 1 MB)')
    .action(
      returning(outcome, async (inventoryPath: string | undefined, flags: SizeFlags) => {
        await sizeCommand(inventoryPath, flags, io);
        return ExitCode.Ok;
      }),
    );
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw new UserError(
      `${flag} expects a number, got '${v}'`,
      [],
      `e.g. ${flag} ${flag === '--headroom' ? '0.3' : '2'}`,
    );
  return n;
}

function parseModes(list: string | undefined): ModeName[] | undefined {
  if (list === undefined) return undefined;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const sizable = MODE_NAMES.filter((m) => m !== 'baseline');
  const bad = names.filter((n) => !(sizable as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0) {
    throw new UserError(
      `--modes: ${bad.length > 0 ? `unknown or unsizable mode${bad.length > 1 ? 's' : ''} ${bad.join(', ')}` : 'no modes given'}`,
      [],
      `choose from ${sizable.join(', ')} (baseline has no proxies)`,
    );
  }
  return [...new Set(names)] as ModeName[];
}

function formatOf(path: string, what: string): InventoryFormat {
  const f = inventoryFormat(path);
  if (!f) throw new UserError(`${what} ${path}: unknown format`, [], 'name it .yaml, .yml, .json or .csv');
  return f;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${what} ${path}: ${errorMessage(e)}`, [], 'check the path');
  }
}

async function loadInventory(inventoryPath: string | undefined, flags: SizeFlags): Promise<Inventory> {
  if (flags.fromCluster) {
    if (inventoryPath !== undefined)
      throw new UserError(
        'give either an inventory file or --from-cluster, not both',
        [],
        'drop one of them',
      );
    if (!flags.rps)
      throw new UserError(
        '--from-cluster needs --rps <file>: the cluster cannot tell how many requests each Deployment serves',
        [],
        'write namespace/name: {peakRpsPerPod, avgRpsPerPod} per Deployment (docs/SIZING.md)',
      );
    const rps = parseRpsFile(
      await readText(flags.rps, 'RPS file'),
      formatOf(flags.rps, 'RPS file'),
      flags.rps,
    );
    // Loaded when used: the Kubernetes client costs about a second and 60 MB at start-up.
    const { loadKubeConfig } = await import('../platforms/kubernetes/client.js');
    const { inventoryFromCluster } = await import('../platforms/kubernetes/inventory-from-cluster.js');
    return inventoryFromCluster(loadKubeConfig(flags.context), rps);
  }
  if (flags.rps || flags.context)
    throw new UserError(
      '--rps and --context only apply with --from-cluster',
      [],
      'add --from-cluster, or put RPS in the inventory file',
    );
  if (inventoryPath === undefined)
    throw new UserError(
      'no inventory: give an inventory file or --from-cluster',
      [],
      'e.g. meshbench size examples/inventory.yaml --results reports/<run-id>/results.json',
    );
  const format = formatOf(inventoryPath, 'inventory');
  return parseInventory(await readText(inventoryPath, 'inventory'), format, inventoryPath);
}

/**
 * Everything is read, validated, computed and rendered before the first file is written; each file is then
 * written atomically. A bad inventory row, flag or results file therefore leaves nothing behind (exit 2).
 */
async function sizeCommand(
  inventoryPath: string | undefined,
  flags: SizeFlags,
  io: CommandIO,
): Promise<void> {
  if (flags.results.length === 0) {
    throw new UserError(
      'no results: pass --results <results.json>',
      [],
      'run `meshbench run` first; it prints the path of its results.json',
    );
  }
  const overrides: SizingOverrides = {
    headroom: num('--headroom', flags.headroom),
    cpuLimitFactor: num('--cpu-limit-factor', flags.cpuLimitFactor),
    memLimitFactor: num('--mem-limit-factor', flags.memLimitFactor),
    minCpuMillicores: num('--min-cpu', flags.minCpu),
    minMemMiB: num('--min-mem', flags.minMem),
  };
  const requested = parseModes(flags.modes);
  const outDir = resolve(
    requirePathFlag('--out', flags.out) ?? join(dirname(resolve(flags.results[0] as string)), 'sizing'),
  );
  await assertOutputsSpareInputs(
    [
      ...flags.results.map((p) => ({ label: 'the results', path: p })),
      ...(inventoryPath !== undefined ? [{ label: 'the inventory', path: inventoryPath }] : []),
      ...(flags.rps !== undefined ? [{ label: 'the --rps file', path: flags.rps }] : []),
    ],
    SIZING_FILE_NAMES.map((n) => ({ label: n, path: join(outDir, n) })),
  );
  const loaded: LoadedResults[] = [];
  for (const path of flags.results) loaded.push({ path, results: await readResults(path) });
  const inputs = sizingInputs(loaded, overrides);
  if (requested) {
    const unmeasured = requested.filter((m) => !inputs.measuredModes.includes(m));
    if (unmeasured.length > 0) {
      throw new UserError(
        `--modes: ${unmeasured.join(', ')} ${unmeasured.length > 1 ? 'were' : 'was'} not measured in ${flags.results.join(', ')}`,
        [`measured: ${inputs.measuredModes.join(', ') || 'no mode with proxies'}`],
        'run those modes (meshbench run --modes ...) and pass that results.json with another --results',
      );
    }
  }
  const modes = requested ?? MODE_NAMES.filter((m) => inputs.measuredModes.includes(m));
  if (modes.length === 0) {
    throw new UserError(
      'the results measured no mode with proxies (only baseline?)',
      [],
      'run at least one mesh mode: meshbench run --modes baseline,istio-sidecar,istio-ambient',
    );
  }
  const inventory = await loadInventory(inventoryPath, flags);
  const report = sizeInventory({
    inventory,
    models: inputs.models,
    points: inputs.points,
    modes,
    settings: inputs.settings,
    prices: inputs.prices,
    results: inputs.sources,
    warnings: inputs.warnings,
  });
  if (report.modes.length === 0) {
    throw new UserError(
      'no mode could be sized',
      report.unsized.map((u) => `${u.mode}: ${u.reason}`),
      'measure the missing proxies and pass that results.json too',
    );
  }
  const files = renderSizingFiles(report, flags.html ? await loadBrowserBundles() : null);
  const written = await writeSizingFiles(outDir, files);

  if (flags.format === 'md') {
    io.out(renderSizingSummary(report));
    for (const p of written) io.out(`wrote ${displayPath(p)}`);
    return;
  }
  io.out(flags.format === 'csv' ? renderSizingCsv(report).trimEnd() : renderSizingJson(report).trimEnd());
  for (const p of written) io.err(`wrote ${displayPath(p)}`);
}
