import type { Comparison, MetricComparison } from '../../compare/types.js';
import {
  changeCell,
  confidenceText,
  formatValue,
  intervalCell,
  reasonText,
  thresholdText,
} from '../shared/metric-format.js';
import { renderJUnit, type JUnitCase, type JUnitSuite } from '../shared/junit.js';

function evidence(r: MetricComparison, level: number): string {
  const v = (x: number | null) => (x === null ? 'n/a' : formatValue(r.unit, x));
  return [
    `${r.label} of ${r.mode} at tier ${r.tier}`,
    `baseline ${v(r.baseline)}, candidate ${v(r.candidate)}`,
    `change ${changeCell(r)}, ${confidenceText(level)} CI ${intervalCell(r)}${r.interval ? ` (Welch t, df ${r.interval.df.toFixed(1)}, p ${r.interval.pValue.toPrecision(2)})` : ''}`,
    `noise (larger run-to-run spread of the two runs) ${v(r.noise)}`,
    `threshold: more than ${thresholdText(r)}`,
    `verdict: ${reasonText(r.reason)}`,
    ...(r.flags.baseline.length ? [`baseline run flags: ${r.flags.baseline.join(', ')}`] : []),
    ...(r.flags.candidate.length ? [`candidate run flags: ${r.flags.candidate.join(', ')}`] : []),
  ].join('\n');
}

function testCase(r: MetricComparison, level: number): JUnitCase {
  const base: JUnitCase = {
    // classname groups cases per mode x tier in CI views (package "meshbench.compare.<tier>", class <mode>).
    classname: `meshbench.compare.${r.tier}.${r.mode}`,
    name: r.label,
    systemOut: evidence(r, level),
  };
  if (r.verdict === 'regression') {
    return {
      ...base,
      failure: {
        type: 'regression',
        message: `${r.label} ${r.mode}/${r.tier}: ${changeCell(r)}, ${confidenceText(level)} CI ${intervalCell(r)}, threshold ${thresholdText(r)}`,
        details: evidence(r, level),
      },
    };
  }
  if (!r.judged) return { ...base, skipped: { message: reasonText(r.reason) } };
  return base;
}

/**
 * JUnit XML of a comparison: one test case per mode x tier x metric, a regression is a <failure>, a row that
 * could not be judged (no data, one repetition) is <skipped>; one suite per tier.
 */
export function renderCompareJUnit(c: Comparison): string {
  const level = c.thresholds.confidence;
  const suites: JUnitSuite[] = c.compatibility.tiers.map((tier) => ({
    name: `meshbench compare: tier ${tier}`,
    timestamp: c.candidate.startedAt.replace(/(\.\d+)?Z$/, ''),
    properties: {
      baselineRunId: c.baseline.runId,
      candidateRunId: c.candidate.runId,
      spec: c.candidate.specName,
      platform: c.candidate.platform,
      proxy: c.candidate.proxy,
    },
    cases: c.metrics.filter((r) => r.tier === tier).map((r) => testCase(r, level)),
  }));
  // The gate as a case of its own: a candidate with failed cells, or nothing judged, fails CI's view too.
  const gateFailures = c.gate.failures.filter((f) => !/^\d+ regressions?$/.test(f));
  suites.push({
    name: 'meshbench compare: gate',
    timestamp: c.candidate.startedAt.replace(/(\.\d+)?Z$/, ''),
    properties: { baselineRunId: c.baseline.runId, candidateRunId: c.candidate.runId },
    cases: [
      {
        classname: 'meshbench.compare.gate',
        name: 'candidate complete and judged',
        systemOut: [...c.gate.failures, ...c.gate.allowed.map((a) => `allowed: ${a}`)].join('\n'),
        ...(gateFailures.length > 0
          ? {
              failure: {
                type: 'gate',
                message: gateFailures[0] as string,
                details: gateFailures.join('\n'),
              },
            }
          : {}),
      },
    ],
  });
  return renderJUnit('meshbench compare', suites);
}
