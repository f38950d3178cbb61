import type { ModeName } from '../modes/mode.js';
import type { ResultsFile } from '../results/schema.js';
import type { Tier } from '../spec/schema.js';
import type { Compatibility, Difference } from './types.js';

/** Tier fields that change what is measured: a tier differing in any of them is another experiment. */
export const TIER_FIELDS: readonly (keyof Tier)[] = [
  'rps',
  'durationSec',
  'warmupSec',
  'connections',
  'payloadBytes',
  'protocol',
  'requestsPerConnection',
  'maxInFlight',
  'timeoutMs',
];

function show(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function diff(subject: string, a: unknown, b: unknown, impact: Difference['impact']): Difference[] {
  const sa = show(a);
  const sb = show(b);
  return sa === sb ? [] : [{ subject, baseline: sa, candidate: sb, impact }];
}

/** "haproxy 2.6.12, envoy 1.34.1": the proxy implementations a mode's topology records, sorted. */
function implementations(results: ResultsFile, mode: ModeName): string {
  const t = results.topology.find((x) => x.mode === mode);
  return [...new Set(t?.proxies.map((p) => p.implementation) ?? [])].sort().join(', ');
}

function hasProxies(results: ResultsFile, mode: ModeName): boolean {
  return (results.topology.find((x) => x.mode === mode)?.proxies.length ?? 0) > 0;
}

/**
 * What can be compared between two runs, and every difference between their specs and environments.
 * - refuses: different platform or load engine (another clock: k6 does not correct coordinated omission).
 * - excludes: a mode or tier only one run has; a tier defined differently; a mode whose proxy
 *   implementation or version differs (the environment's proxy, a mode's proxies, or mesh versions).
 *   Modes without proxies (baseline) stay comparable across proxy versions.
 * - note: anything else that may explain a change but leaves the figures comparable: repetitions, the app's
 *   delay and replicas, local settings, prices, order, seed, host, versions of meshbench and the engine.
 */
export function checkCompatibility(baseline: ResultsFile, candidate: ResultsFile): Compatibility {
  const a = baseline;
  const b = candidate;
  const differences: Difference[] = [
    ...diff('platform', a.environment.platform, b.environment.platform, 'refuses'),
    ...diff('engine', a.environment.engine.name, b.environment.engine.name, 'refuses'),
  ];

  const excludedModes = new Set<ModeName>();
  const excludedTiers = new Set<string>();

  for (const m of new Set([...a.spec.modes, ...b.spec.modes])) {
    const inA = a.spec.modes.includes(m);
    const inB = b.spec.modes.includes(m);
    if (inA && inB) continue;
    excludedModes.add(m);
    differences.push({
      subject: `mode ${m}`,
      baseline: inA ? 'measured' : 'absent',
      candidate: inB ? 'measured' : 'absent',
      impact: 'excludes',
    });
  }
  for (const name of new Set([...a.spec.tiers.map((t) => t.name), ...b.spec.tiers.map((t) => t.name)])) {
    const ta = a.spec.tiers.find((t) => t.name === name);
    const tb = b.spec.tiers.find((t) => t.name === name);
    if (!ta || !tb) {
      excludedTiers.add(name);
      differences.push({
        subject: `tier ${name}`,
        baseline: ta ? 'measured' : 'absent',
        candidate: tb ? 'measured' : 'absent',
        impact: 'excludes',
      });
      continue;
    }
    for (const f of TIER_FIELDS) {
      const d = diff(`tier ${name}: ${f}`, ta[f], tb[f], 'excludes');
      if (d.length > 0) excludedTiers.add(name);
      differences.push(...d);
    }
  }

  // Proxy implementation or version: the modes that have proxies measure another data plane.
  const proxyDiff = [
    ...diff(
      'proxy',
      `${a.environment.proxy.name} ${a.environment.proxy.version}`,
      `${b.environment.proxy.name} ${b.environment.proxy.version}`,
      'excludes',
    ),
    ...diff(
      'mesh versions',
      a.environment.kubernetes?.meshVersions,
      b.environment.kubernetes?.meshVersions,
      'excludes',
    ),
  ];
  differences.push(...proxyDiff);
  for (const m of b.spec.modes) {
    if (!a.spec.modes.includes(m)) continue;
    const ia = implementations(a, m);
    const ib = implementations(b, m);
    if (ia !== ib) {
      excludedModes.add(m);
      differences.push({
        subject: `mode ${m}: proxies`,
        baseline: ia || '(none)',
        candidate: ib || '(none)',
        impact: 'excludes',
      });
    } else if (proxyDiff.length > 0 && (hasProxies(a, m) || hasProxies(b, m))) {
      excludedModes.add(m);
    }
  }

  differences.push(
    ...diff('repetitions', a.spec.repetitions, b.spec.repetitions, 'note'),
    ...diff('app.delayMs', a.spec.app.delayMs, b.spec.app.delayMs, 'note'),
    ...diff('app.replicas', a.spec.app.replicas, b.spec.app.replicas, 'note'),
    ...diff('local', a.spec.local, b.spec.local, 'note'),
    ...diff('prices', a.spec.prices, b.spec.prices, 'note'),
    ...diff('order', a.plan.order, b.plan.order, 'note'),
    ...diff('cooldownSec', a.spec.cooldownSec, b.spec.cooldownSec, 'note'),
    ...diff('seed', a.spec.seed, b.spec.seed, 'note'),
    ...diff('thresholds', a.spec.thresholds, b.spec.thresholds, 'note'),
    ...diff('engine version', a.environment.engine.version, b.environment.engine.version, 'note'),
    ...diff('meshbench version', a.environment.meshbenchVersion, b.environment.meshbenchVersion, 'note'),
    ...diff(
      'host CPU',
      `${a.environment.cpus} x ${a.environment.cpuModel}`,
      `${b.environment.cpus} x ${b.environment.cpuModel}`,
      'note',
    ),
    ...diff(
      'kubernetes version',
      a.environment.kubernetes?.serverVersion,
      b.environment.kubernetes?.serverVersion,
      'note',
    ),
    ...diff('node types', a.environment.kubernetes?.nodeTypes, b.environment.kubernetes?.nodeTypes, 'note'),
    ...diff('run status', a.status, b.status, 'note'),
  );

  const modes = b.spec.modes.filter((m) => a.spec.modes.includes(m) && !excludedModes.has(m));
  const tiers = b.spec.tiers.map((t) => t.name).filter((t) => !excludedTiers.has(t));
  return { differences, modes, tiers, partial: excludedModes.size > 0 || excludedTiers.size > 0 };
}

/** "mode istio-ambient: baseline measured, candidate absent (excludes)": one line per difference. */
export function describeDifference(d: Difference): string {
  const effect =
    d.impact === 'refuses'
      ? 'nothing can be compared'
      : d.impact === 'excludes'
        ? 'not comparable'
        : 'compared anyway';
  return `${d.subject}: baseline ${d.baseline}, candidate ${d.candidate} (${effect})`;
}
