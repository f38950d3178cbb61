import type { Analysis } from '../../analysis/types.js';
import { K6_CPU_BUSY_LIMIT } from '../../engines/k6/diagnosis.js';
import type { ResultsFile } from '../../results/schema.js';
import { DEFAULT_SPEC } from '../../spec/defaults.js';
import { formatCount, formatNumber, formatPercent } from '../shared/format.js';
import { mdText } from '../shared/markdown-escape.js';
import { markdownTableOf, tableOf, type TableData } from '../shared/table.js';

function coLine(analysis: Analysis): string {
  const flags = analysis.results.flatMap((r) => (r.latency ? [r.latency.coordinatedOmissionCorrected] : []));
  if (flags.length === 0) return 'no latency was recorded';
  if (flags.every(Boolean))
    return 'yes: latency is timed from each request\u2019s intended send time (open model)';
  if (!flags.some(Boolean))
    return 'no: latency is timed from the actual send (service time), so queueing behind slow requests is not counted';
  return 'only in some cells: compare those figures with care';
}

export function pricesLine(analysis: Analysis): string {
  const p = analysis.prices;
  const d = DEFAULT_SPEC.prices;
  const isDefault =
    p.vcpuHourUsd === d.vcpuHourUsd && p.gibHourUsd === d.gibHourUsd && p.hoursPerMonth === d.hoursPerMonth;
  return (
    `$${p.vcpuHourUsd} per vCPU-hour, $${p.gibHourUsd} per GiB-hour, ${p.hoursPerMonth} hours per month` +
    (isDefault ? ' (OpenCost\u2019s default prices)' : ' (from the spec)')
  );
}

export function tiersTable(results: ResultsFile): TableData {
  const rows = results.spec.tiers.map((t) => [
    t.name,
    formatNumber(t.rps, 0),
    `${t.durationSec} s`,
    `${t.warmupSec} s`,
    String(t.connections),
    `${formatCount(t.payloadBytes)} B`,
    t.protocol,
    String(t.maxInFlight),
    `${t.timeoutMs} ms`,
  ]);
  return tableOf(
    [
      'tier',
      'target RPS',
      'measure',
      'warm-up',
      'connections',
      'payload',
      'protocol',
      'max in flight',
      'timeout',
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right'],
  );
}

function topologyLines(results: ResultsFile): string[] {
  return results.topology.map((t) => {
    const impls = [...new Set(t.proxies.map((p) => p.implementation))];
    const proxies =
      t.proxies.length === 0 ? 'no proxies' : `${t.proxies.length} proxies (${impls.join(', ')})`;
    return `  - ${t.mode}: ${mdText(`${t.path.join(' \u2192 ')}; ${t.pods.length} pods on ${t.nodes.length} nodes; ${proxies}`)}`;
  });
}

function pinningLine(p: NonNullable<ResultsFile['environment']['cpuPinning']>): string {
  return 'off' in p
    ? `none (${mdText(p.off)})`
    : `engine on CPU ${p.engineCpus.join(', ')}; app servers and proxies on CPU ${p.serverCpus.join(', ')}`;
}

/** The methodology as its parts: two Markdown lists (environment, method) and the tiers table as data. */
export interface MethodologyParts {
  environment: string[];
  tiers: TableData;
  method: string[];
}

export const METHODOLOGY_TITLE = 'Methodology and environment';
export const TIERS_TITLE = 'Tiers';
export const METHOD_TITLE = 'How the figures are computed';

/** Where, how and with what the figures were measured, and how they were computed. */
export function methodologyParts(analysis: Analysis, results: ResultsFile): MethodologyParts {
  const env = results.environment;
  const o = analysis.options;
  const k8s = env.kubernetes;
  // Every string from results.json is escaped (mdText): the file may come from anyone.
  const t = mdText;
  const lines = [
    `- Platform: ${env.platform}${env.emulation ? ' (emulated, see the note at the top)' : ''}`,
    `- Proxy: ${t(`${env.proxy.name} ${env.proxy.version}`)}`,
    ...(env.emulation ? [`- Emulation: ${t(env.emulation)}`] : []),
    ...(env.cpuPinning ? [`- CPU pinning: ${pinningLine(env.cpuPinning)}`] : []),
    `- Engine: ${env.engine.name} ${t(env.engine.version)}; coordinated-omission corrected: ${coLine(analysis)}`,
    ...(k8s
      ? [
          `- Kubernetes: ${t(k8s.serverVersion ?? 'unknown version')}${k8s.context ? `, context ${t(k8s.context)}` : ''}` +
            (k8s.nodeTypes?.length ? `, node types ${t(k8s.nodeTypes.join(', '))}` : ''),
          ...(k8s.meshVersions
            ? [
                `- Mesh versions: ${
                  t(
                    Object.entries(k8s.meshVersions)
                      .map(([k, v]) => `${k} ${v}`)
                      .join(', '),
                  ) || 'none recorded'
                }`,
              ]
            : []),
        ]
      : []),
    `- Repetitions: ${results.spec.repetitions}; order: ${results.plan.order}${results.plan.orderReason ? ` (${t(results.plan.orderReason)})` : ''}; cool-down ${results.spec.cooldownSec} s between cells; plan seed ${results.spec.seed}`,
    `- App: ${results.spec.app.replicas} server replicas, ${results.spec.app.delayMs} ms service delay${env.app ? `; ${t(env.app.detail)}` : ''}`,
    `- Host: ${t(`${env.cpuModel}, ${env.cpus} CPUs, ${formatNumber(env.memoryGiB, 1)} GiB; ${env.os} ${env.kernel}; Node.js ${env.node}; host ${env.hostname}`)}`,
    `- meshbench ${t(env.meshbenchVersion)}; results schema ${results.schema} v${results.schemaVersion}; analysis schema ${analysis.schema} v${analysis.schemaVersion}`,
    `- Topologies:`,
    ...topologyLines(results),
  ];
  const method = [
    '- Latency percentiles come from the HDR histograms (microseconds, 3 significant digits) of every successful repetition merged into one; percentiles are never averaged.',
    `- Overhead = a mode\u2019s merged percentile minus baseline\u2019s at the same tier. Its ${formatPercent(o.confidence, 0)} interval is a bootstrap over repetitions (${formatCount(o.bootstrapIterations)} resamples, seed ${o.seed}): each side\u2019s repetitions are resampled with replacement, merged, and the percentiles subtracted. \u201cNot distinguishable from noise\u201d means the interval contains 0. A Welch t-test on per-repetition percentiles is given alongside.`,
    '- Noise floor: the range (max \u2212 min) of baseline\u2019s per-repetition percentiles, and the half-width of the bootstrap interval of baseline\u2019s merged percentile.',
    `- A repetition is flagged rate-missed when its achieved rate is more than ${formatPercent(o.rateTolerance, 0)} below target; dropped when any arrival was dropped; errors when any request failed; failed cells are left out of every figure.${env.engine.name === 'k6' ? ` With k6 such a repetition is also flagged k6-short-of-vus (k6 started VUs during the test, or had every VU it may use busy) or k6-short-of-cpu (k6, or the host it shares, busy ${formatPercent(K6_CPU_BUSY_LIMIT, 0)} or more of its cores over the measure window); \u201cLoad generator (k6)\u201d says what to change.` : ''}`,
    '- Proxy CPU and memory are each proxy\u2019s mean over the measure window (warm-up excluded), summed per repetition, then averaged over repetitions (ranges are min\u2013max over repetitions). Per pod = all of a mode\u2019s proxy usage divided by its pods (client and servers): sidecars belong to their pod; node proxies and waypoints serve every pod of the run and are shared out evenly. Per 1000 RPS = total \u00d7 1000 / achieved RPS.',
    `- Cost = measured mean usage per pod priced at ${pricesLine(analysis)}: (vCPU \u00d7 $/vCPU-h + GiB \u00d7 $/GiB-h) \u00d7 hours per month. It prices usage, not requests or limits.`,
  ];
  return { environment: lines, tiers: tiersTable(results), method };
}

/** The methodology section of report.md. */
export function methodologySection(analysis: Analysis, results: ResultsFile): string {
  const m = methodologyParts(analysis, results);
  return [
    `## ${METHODOLOGY_TITLE}`,
    '',
    ...m.environment,
    '',
    `### ${TIERS_TITLE}`,
    '',
    markdownTableOf(m.tiers),
    '',
    `### ${METHOD_TITLE}`,
    '',
    ...m.method,
  ].join('\n');
}
