import type { Analysis } from '../analysis/types.js';
import type { ResultsFile } from '../results/schema.js';
import { WARNING_SIGN } from './format.js';
import { mdCode, mdItem, mdText } from './markdown-escape.js';
import { failedRepetitionsList, latencyTable, loadTable, noiseFloorTable } from './markdown-latency.js';
import { K6_DIAGNOSIS_INTRO, k6DiagnosisList } from './markdown-k6.js';
import { methodologySection, pricesLine } from './markdown-methodology.js';
import { confidenceLabel, overheadDetailTable, overheadTable } from './markdown-overhead.js';
import { costTable, nodeTable, resourceTable, roleTable } from './markdown-resources.js';
import { protocolSectionMarkdown } from './protocol-table.js';
import { publishedMarkdown } from './published-figures.js';
import { withTierLabels } from './tier-groups.js';

export interface MarkdownOptions {
  /** Charts rendered elsewhere (e.g. SVG files next to the report): label -> relative link. */
  chartLinks?: Record<string, string>;
}

/** Everything from results.json goes through mdText/mdCode: the file may come from anyone (markdown-escape.ts). */
function header(analysis: Analysis, results: ResultsFile): string[] {
  const s = analysis.source;
  const env = results.environment;
  const out = [
    `# meshbench report: ${mdText(s.specName)}`,
    '',
    `Run ${mdCode(s.runId)} (${s.runStatus}), started ${mdText(s.startedAt)}${s.finishedAt ? `, finished ${mdText(s.finishedAt)}` : ''}. ` +
      `Modes: ${analysis.modes.join(', ')}. Tiers: ${mdText(analysis.tiers.map((t) => `${t.name} (${t.targetRps} RPS)`).join(', '))}. ` +
      `Platform: ${env.platform}; proxy ${mdText(`${env.proxy.name} ${env.proxy.version}`)}; ` +
      `engine ${env.engine.name} ${mdText(env.engine.version)}.`,
  ];
  if (env.emulation) {
    out.push('', `> **Emulated environment.** ${mdText(env.emulation)}`);
  }
  if (s.runStatus !== 'complete') {
    out.push(
      '',
      `> ${WARNING_SIGN} **The run is ${s.runStatus}**${s.runError ? `: ${mdText(s.runError)}` : ''}. Figures cover the cells that finished.`,
    );
  }
  if (analysis.flagged.length > 0) {
    out.push(
      '',
      `> ${WARNING_SIGN} **Flags** (explained under Methodology; flagged figures carry ${WARNING_SIGN} next to them):`,
    );
    for (const f of analysis.flagged)
      out.push(`> - ${f.mode} / ${mdText(`${f.tier}: ${f.flags.join(', ')}`)}`);
  }
  return out;
}

function headline(analysis: Analysis): string[] {
  if (!analysis.baselineMode) {
    return [
      '',
      '## Latency added',
      '',
      'The run has no baseline, so no overhead can be computed; absolute latencies are below.',
    ];
  }
  const level = confidenceLabel(analysis.options.confidence);
  const intro =
    `Each mode's percentile minus baseline's at the same tier, from histograms merged over repetitions; ` +
    `${level} by bootstrap over repetitions. A figure whose interval contains 0 is reported as not distinguishable from noise.`;
  return [
    '',
    '## P50 latency added',
    '',
    intro,
    '',
    overheadTable(analysis, 'p50'),
    '',
    '## P99 latency added',
    '',
    overheadTable(analysis, 'p99'),
  ];
}

function charts(links: Record<string, string> | undefined): string[] {
  const entries = Object.entries(links ?? {});
  if (entries.length === 0) return [];
  // Labels and links are meshbench's own (chart titles and file names), not results text.
  return ['', '## Charts', '', ...entries.map(([label, href]) => `- [${label}](${href})`)];
}

/**
 * The Markdown report: what a platform team reads first (latency added at P50 and P99) at the top, then
 * proxy resources, cost, absolute latencies, load, noise floor, detail and methodology. Deterministic: the
 * only times in it come from results.json.
 */
export function renderMarkdown(measured: Analysis, results: ResultsFile, opts: MarkdownOptions = {}): string {
  // Tier names carry their protocol and churn when a run has other than HTTP/1.1 keep-alive (tier-groups.ts).
  const analysis = withTierLabels(measured);
  const hasProxies = analysis.results.some((r) => r.mode !== analysis.baselineMode);
  const nodes = nodeTable(analysis);
  const failed = failedRepetitionsList(analysis);
  const k6 = k6DiagnosisList(results, analysis.options.rateTolerance);
  const sections: string[] = [
    ...header(analysis, results),
    ...headline(analysis),
    ...protocolSectionMarkdown(measured),
    ...charts(opts.chartLinks),
  ];
  if (hasProxies) {
    sections.push(
      '',
      '## Proxy CPU and memory',
      '',
      'Mean over the measure window; "per pod" shares every proxy of a mode (sidecars, node proxies, waypoints) over the pods of the run. Ranges in parentheses are min\u2013max over repetitions.',
      '',
      resourceTable(analysis),
      '',
      '### Per proxy, by role',
      '',
      roleTable(analysis),
      ...(nodes ? ['', '### Node proxies, per node', '', nodes] : []),
      '',
      '## Cost per pod per month',
      '',
      `Measured mean proxy usage priced at ${pricesLine(analysis)}.`,
      '',
      costTable(analysis),
    );
  }
  sections.push(
    '',
    '## Latency percentiles (ms)',
    '',
    latencyTable(analysis),
    '',
    '## Load: achieved vs target RPS',
    '',
    `Rate missed means more than ${Math.round(analysis.options.rateTolerance * 1000) / 10}% below target.`,
    '',
    loadTable(analysis),
    ...(failed ? ['', '### Repetitions left out', '', failed] : []),
    ...(k6 ? ['', '### Load generator (k6)', '', K6_DIAGNOSIS_INTRO, '', k6] : []),
  );
  if (analysis.baselineMode) {
    sections.push(
      '',
      '## Noise floor',
      '',
      'How far baseline moves between its own repetitions: an overhead smaller than this cannot be told apart from re-running baseline.',
      '',
      analysis.noiseFloor.length > 0 ? noiseFloorTable(analysis) : 'Baseline has no successful repetition.',
      '',
      '## Overhead detail',
      '',
      overheadDetailTable(analysis),
    );
  }
  sections.push(...publishedMarkdown(analysis));
  sections.push('', methodologySection(analysis, results));
  if (analysis.warnings.length > 0) {
    sections.push('', '## Analysis warnings', '', ...analysis.warnings.map((w) => `- ${mdItem(w)}`));
  }
  return sections.join('\n') + '\n';
}
