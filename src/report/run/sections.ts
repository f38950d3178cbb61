import type { Analysis } from '../../analysis/types.js';
import type { ResultsFile } from '../../results/schema.js';
import type { TableData } from '../shared/table.js';
import type { ChartId } from './charts/index.js';
import type { ListItem } from '../shared/list.js';
import { failedRepetitionsList, latencyTable, loadTable, noiseFloorTable } from './latency-tables.js';
import { K6_DIAGNOSIS_INTRO, k6DiagnosisList } from './k6-diagnosis.js';
import { methodologyParts, METHOD_TITLE, METHODOLOGY_TITLE, pricesLine, TIERS_TITLE } from './methodology.js';
import { confidenceLabel, overheadDetailTable, overheadTable } from './overhead-tables.js';
import { costTable, nodeTable, resourceTable, roleTable } from './resource-tables.js';
import { publishedSection } from './published-figures.js';
import { PROTOCOL_SECTION_ID, PROTOCOL_SECTION_TITLE, protocolSection } from './protocol-table.js';
import { withTierLabels } from './tier-groups.js';

/**
 * What a section holds, in order. report.md and index.html serialise the same blocks: prose is written once
 * here, tables are data, and a chart sits where the page draws it (report.md links every chart from its own
 * "Charts" section instead, as images GitHub and GitLab show).
 */
export type Block =
  /** meshbench's own sentence (no text from results.json in it), printed as is in Markdown, escaped in HTML. */
  | { kind: 'text'; text: string }
  | { kind: 'table'; table: TableData }
  | { kind: 'chart'; chart: ChartId }
  /** A sub-heading: ### in report.md, <h3> in the page. */
  | { kind: 'heading'; title: string }
  /** A bullet list whose items say which words are meshbench's and which come from results.json (list.ts). */
  | { kind: 'list'; items: ListItem[] }
  /** report.md's links to the static charts (the page draws them in place). */
  | { kind: 'chart-links' };

export interface Section {
  /** Anchor in the page. */
  id: string;
  title: string;
  blocks: Block[];
  /** A section only one output has: report.md's chart links. */
  only?: 'markdown';
}

const text = (t: string): Block => ({ kind: 'text', text: t });
const table = (t: TableData): Block => ({ kind: 'table', table: t });
const chart = (c: ChartId): Block => ({ kind: 'chart', chart: c });
const heading = (title: string): Block => ({ kind: 'heading', title });
const list = (items: ListItem[]): Block => ({ kind: 'list', items });

function latencyAdded(analysis: Analysis): Section[] {
  if (!analysis.baselineMode)
    return [
      {
        id: 'latency-added',
        title: 'Latency added',
        blocks: [
          text('The run has no baseline, so no overhead can be computed; absolute latencies are below.'),
        ],
      },
    ];
  const level = confidenceLabel(analysis.options.confidence);
  return [
    {
      id: 'p50-latency-added',
      title: 'P50 latency added',
      blocks: [
        text(
          `How much higher each mode's percentile is than baseline's at the same tier, over repetitions (the method of each figure is in the detail table and the methodology), ` +
            `with its ${level}. A figure whose interval contains 0 is reported as not distinguishable from noise.`,
        ),
        table(overheadTable(analysis, 'p50')),
      ],
    },
    {
      id: 'p99-latency-added',
      title: 'P99 latency added',
      blocks: [table(overheadTable(analysis, 'p99')), chart('latency-added')],
    },
  ];
}

function proxySections(analysis: Analysis): Section[] {
  if (!analysis.results.some((r) => r.mode !== analysis.baselineMode)) return [];
  const nodes = nodeTable(analysis);
  return [
    {
      id: 'proxy-resources',
      title: 'Proxy CPU and memory',
      blocks: [
        text(
          'Mean over the measure window; "per pod" shares every proxy of a mode (sidecars, node proxies, waypoints) over the pods of the run. Ranges in parentheses are min\u2013max over repetitions.',
        ),
        table(resourceTable(analysis)),
        chart('proxy-resources'),
        heading('Per proxy, by role'),
        table(roleTable(analysis)),
        ...(nodes ? [heading('Node proxies, per node'), table(nodes)] : []),
      ],
    },
    {
      id: 'cost',
      title: 'Cost per pod per month',
      blocks: [
        text(`Measured mean proxy usage priced at ${pricesLine(analysis)}.`),
        table(costTable(analysis)),
        chart('cost'),
      ],
    },
  ];
}

function baselineSections(analysis: Analysis): Section[] {
  if (!analysis.baselineMode) return [];
  return [
    {
      id: 'noise-floor',
      title: 'Noise floor',
      blocks: [
        text(
          'How far baseline moves between its own repetitions: an overhead smaller than this cannot be told apart from re-running baseline.',
        ),
        analysis.noiseFloor.length > 0
          ? table(noiseFloorTable(analysis))
          : text('Baseline has no successful repetition.'),
      ],
    },
    { id: 'overhead-detail', title: 'Overhead detail', blocks: [table(overheadDetailTable(analysis))] },
  ];
}

/**
 * The run report, once, as data: what a platform team reads first (latency added at P50 and P99) at the top,
 * then proxy resources, cost, absolute latencies, load, noise floor, detail, published figures and methodology.
 * markdown.ts and html.ts only serialise it (the page's header and report.md's title block are each their own).
 */
export function reportSections(measured: Analysis, results: ResultsFile): Section[] {
  // Tier names carry their protocol and churn when a run has other than HTTP/1.1 keep-alive (tier-groups.ts);
  // the side-by-side section groups by the tiers' own fields, so it reads the analysis as measured.
  const analysis = withTierLabels(measured);
  const byProtocol = protocolSection(measured);
  const failed = failedRepetitionsList(analysis);
  const k6 = k6DiagnosisList(results, analysis.options.rateTolerance);
  const published = publishedSection(analysis);
  const m = methodologyParts(analysis, results);
  return [
    ...latencyAdded(analysis),
    ...(byProtocol
      ? [
          {
            id: PROTOCOL_SECTION_ID,
            title: PROTOCOL_SECTION_TITLE,
            blocks: [
              text(byProtocol.intro),
              ...byProtocol.tables.flatMap((t) => [heading(t.mode), table(t.table)]),
            ],
          },
        ]
      : []),
    { id: 'charts', title: 'Charts', blocks: [{ kind: 'chart-links' }], only: 'markdown' },
    ...proxySections(analysis),
    {
      id: 'latency',
      title: 'Latency percentiles (ms)',
      blocks: [table(latencyTable(analysis)), chart('latency-spectrum')],
    },
    {
      id: 'load',
      title: 'Load: achieved vs target RPS',
      blocks: [
        text(
          `Rate missed means more than ${Math.round(analysis.options.rateTolerance * 1000) / 10}% below target.`,
        ),
        table(loadTable(analysis)),
        chart('load'),
        ...(failed.length > 0 ? [heading('Repetitions left out'), list(failed)] : []),
        ...(k6.length > 0 ? [heading('Load generator (k6)'), text(K6_DIAGNOSIS_INTRO), list(k6)] : []),
      ],
    },
    ...baselineSections(analysis),
    ...(published ? [published] : []),
    {
      id: 'methodology',
      title: METHODOLOGY_TITLE,
      blocks: [
        list(m.environment),
        heading(TIERS_TITLE),
        table(m.tiers),
        heading(METHOD_TITLE),
        list(m.method),
      ],
    },
    ...(analysis.warnings.length > 0
      ? [
          {
            id: 'analysis-warnings',
            title: 'Analysis warnings',
            blocks: [list(analysis.warnings.map((w) => ({ content: [{ data: w }] })))],
          },
        ]
      : []),
  ];
}
