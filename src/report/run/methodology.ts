import type { Analysis } from '../../analysis/types.js';
import { K6_CPU_BUSY_LIMIT } from '../../engines/k6/diagnosis.js';
import type { ResultsFile } from '../../results/schema.js';
import { DEFAULT_SPEC } from '../../spec/defaults.js';
import { formatCount, formatNumber, formatPercent } from '../shared/format.js';
import { tableOf, type TableData } from '../shared/table.js';
import type { Inline, ListItem } from '../shared/list.js';

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

/** Text read from results.json: escaped by whichever output prints it (the file may come from anyone). */
const data = (s: string): Inline => ({ data: s });

/** An item from a template whose own words are literal and whose `data(...)` values are foreign text. */
function item(strings: TemplateStringsArray, ...values: (string | number | Inline | Inline[])[]): ListItem {
  const content: Inline[] = [];
  strings.forEach((s, i) => {
    if (s !== '') content.push(s);
    const v = values[i];
    if (Array.isArray(v)) content.push(...(v as Inline[]));
    else if (typeof v === 'number') content.push(String(v));
    else if (v !== undefined && v !== '') content.push(v);
  });
  return { content };
}

function topologyItems(results: ResultsFile): ListItem[] {
  return results.topology.map((t) => {
    const impls = [...new Set(t.proxies.map((p) => p.implementation))];
    const proxies =
      t.proxies.length === 0 ? 'no proxies' : `${t.proxies.length} proxies (${impls.join(', ')})`;
    return item`${t.mode}: ${data(`${t.path.join(' \u2192 ')}; ${t.pods.length} pods on ${t.nodes.length} nodes; ${proxies}`)}`;
  });
}

function pinningItem(p: NonNullable<ResultsFile['environment']['cpuPinning']>): ListItem {
  return 'off' in p
    ? item`CPU pinning: none (${data(p.off)})`
    : item`CPU pinning: engine on CPU ${p.engineCpus.join(', ')}; app servers and proxies on CPU ${p.serverCpus.join(', ')}`;
}

/** The methodology as its parts: two lists (environment, method) and the tiers table, as data. */
export interface MethodologyParts {
  environment: ListItem[];
  tiers: TableData;
  method: ListItem[];
}

export const METHODOLOGY_TITLE = 'Methodology and environment';
export const TIERS_TITLE = 'Tiers';
export const METHOD_TITLE = 'How the figures are computed';

function kubernetesItems(k8s: NonNullable<ResultsFile['environment']['kubernetes']>): ListItem[] {
  const meshVersions = Object.entries(k8s.meshVersions ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    item`Kubernetes: ${data(k8s.serverVersion ?? 'unknown version')}${k8s.context ? item`, context ${data(k8s.context)}`.content : []}${k8s.nodeTypes?.length ? item`, node types ${data(k8s.nodeTypes.join(', '))}`.content : []}`,
    ...(k8s.meshVersions
      ? [item`Mesh versions: ${meshVersions ? data(meshVersions) : 'none recorded'}`]
      : []),
  ];
}

/** Where, how and with what the figures were measured, and how they were computed. */
export function methodologyParts(analysis: Analysis, results: ResultsFile): MethodologyParts {
  const env = results.environment;
  const o = analysis.options;
  const environment: ListItem[] = [
    item`Platform: ${env.platform}${env.emulation ? ' (emulated, see the note at the top)' : ''}`,
    item`Proxy: ${data(`${env.proxy.name} ${env.proxy.version}`)}`,
    ...(env.emulation ? [item`Emulation: ${data(env.emulation)}`] : []),
    ...(env.cpuPinning ? [pinningItem(env.cpuPinning)] : []),
    item`Engine: ${env.engine.name} ${data(env.engine.version)}; coordinated-omission corrected: ${coLine(analysis)}`,
    ...(env.kubernetes ? kubernetesItems(env.kubernetes) : []),
    item`Repetitions: ${results.spec.repetitions}; order: ${results.plan.order}${results.plan.orderReason ? item` (${data(results.plan.orderReason)})`.content : []}; cool-down ${results.spec.cooldownSec} s between cells; plan seed ${results.spec.seed}`,
    item`App: ${results.spec.app.replicas} server replicas, ${results.spec.app.delayMs} ms service delay${env.app ? item`; ${data(env.app.detail)}`.content : []}`,
    item`Host: ${data(`${env.cpuModel}, ${env.cpus} CPUs, ${formatNumber(env.memoryGiB, 1)} GiB; ${env.os} ${env.kernel}; Node.js ${env.node}; host ${env.hostname}`)}`,
    item`meshbench ${data(env.meshbenchVersion)}; results schema ${results.schema} v${results.schemaVersion}; analysis schema ${analysis.schema} v${analysis.schemaVersion}`,
    { content: ['Topologies:'], items: topologyItems(results) },
  ];
  const method: ListItem[] = [
    'Latency percentiles come from the HDR histograms (microseconds, 3 significant digits) of every successful repetition merged into one; percentiles are never averaged.',
    `Overhead, where both sides have ${o.shiftMinRepetitions} or more repetitions and every repetition at least ${o.shiftMinTailValues} requests beyond the percentile: the shift of per-repetition percentiles, the median of every difference between a mode repetition\u2019s percentile and a baseline repetition\u2019s (Hodges\u2013Lehmann), with the ${formatPercent(o.confidence, 0)} interval that inverts the Mann\u2013Whitney test (order statistics of those differences, distribution-free). It is the percentile of a typical measure window, and a stalled window or two on either side cannot move the interval. Otherwise (fewer repetitions, or a tail too thin per repetition, as p99.9): a mode\u2019s merged percentile minus baseline\u2019s, with a bootstrap over repetitions (${formatCount(o.bootstrapIterations)} resamples, seed ${o.seed}): each side\u2019s repetitions resampled with replacement, merged, and the percentiles subtracted. The detail table names the method of each figure. \u201cNot distinguishable from noise\u201d means the interval contains 0. A Welch t-test on per-repetition percentiles is given alongside.`,
    'Noise floor: the range (max \u2212 min) of baseline\u2019s per-repetition percentiles, and the half-width of the interval a mode identical to baseline would get by the same method as the overhead (baseline\u2019s repetitions against themselves, or the bootstrap of its merged percentile).',
    `A repetition is flagged rate-missed when its achieved rate is more than ${formatPercent(o.rateTolerance, 0)} below target; dropped when any arrival was dropped; errors when any request failed; failed cells are left out of every figure.${env.engine.name === 'k6' ? ` With k6 such a repetition is also flagged k6-short-of-vus (k6 started VUs during the test, or had every VU it may use busy) or k6-short-of-cpu (k6, or the host it shares, busy ${formatPercent(K6_CPU_BUSY_LIMIT, 0)} or more of its cores over the measure window); \u201cLoad generator (k6)\u201d says what to change.` : ''}`,
    'Proxy CPU and memory are each proxy\u2019s mean over the measure window (warm-up excluded), summed per repetition, then averaged over repetitions (ranges are min\u2013max over repetitions). Per pod = all of a mode\u2019s proxy usage divided by its pods (client and servers): sidecars belong to their pod; node proxies and waypoints serve every pod of the run and are shared out evenly. Per 1000 RPS = total \u00d7 1000 / achieved RPS.',
    `Cost = measured mean usage per pod priced at ${pricesLine(analysis)}: (vCPU \u00d7 $/vCPU-h + GiB \u00d7 $/GiB-h) \u00d7 hours per month. It prices usage, not requests or limits.`,
  ].map((text) => ({ content: [text] }));
  return { environment, tiers: tiersTable(results), method };
}
