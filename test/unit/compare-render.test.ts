import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.js';
import type { Comparison } from '../../src/compare/types.js';
import { formatChange, formatValue, thresholdText } from '../../src/report/shared/metric-format.js';
import { renderCompareJson } from '../../src/report/compare/json.js';
import { renderCompareJUnit } from '../../src/report/compare/junit.js';
import { renderCompareMarkdown } from '../../src/report/compare/markdown.js';
import { escapeXml, renderJUnit } from '../../src/report/shared/junit.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

const FAST = { bootstrapIterations: 100 };

/** A comparison with one regressed mode (istio-sidecar +0.5 ms) over two tiers. */
function regressed(): Comparison {
  const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }, { name: 'medium' }] });
  const b = syntheticResults({
    seed: 2,
    tiers: [{ name: 'low' }, { name: 'medium' }],
    latency: (c) => ({
      kind: 'normal',
      meanUs: { baseline: 1000, 'istio-sidecar': 1750, 'istio-ambient': 1500 }[c.mode as 'baseline'],
      sdUs: 20,
      count: 1000,
    }),
  });
  b.runId = 'night <2> & "co"';
  return compareRuns(a, b, { analysis: FAST });
}

describe('compare formatting', () => {
  it('formats each unit for people', () => {
    expect(formatValue('ms', 1.2345)).toBe('1.23 ms');
    expect(formatValue('millicores', 42.04)).toBe('42.0 m');
    expect(formatValue('MiB', 120)).toBe('120 MiB');
    expect(formatValue('USD/month', 1.2746)).toBe('$1.27/month');
    expect(formatValue('ratio', 0.0123)).toBe('1.23%');
    expect(formatChange('ms', 0.42)).toBe('+0.42 ms');
    expect(formatChange('ms', -0.05)).toBe('\u22120.050 ms');
    expect(formatChange('ratio', 0.002)).toBe('+0.20 pp');
    expect(formatChange('USD/month', 0.05)).toBe('+$0.050/month');
    expect(thresholdText({ unit: 'ms', threshold: { relative: 0.1, absolute: 0.2 } })).toBe(
      '10% and 0.20 ms',
    );
    expect(thresholdText({ unit: 'ratio', threshold: { relative: 0.5, absolute: 0.001 } })).toBe(
      '50% and 0.10 pp',
    );
  });
});

describe('renderCompareMarkdown', () => {
  const c = regressed();
  const md = renderCompareMarkdown(c);

  it('leads with the verdict and lists each regression with its evidence', () => {
    expect(md.split('\n')[0]).toBe(`## meshbench compare: \u274c ${c.summary.regressions} regressions`);
    const section = md.slice(
      md.indexOf('### Regressions'),
      md.indexOf('###', md.indexOf('### Regressions') + 5),
    );
    const rows = section.split('\n').filter((l) => l.startsWith('| low') || l.startsWith('| medium'));
    expect(rows).toHaveLength(c.summary.regressions);
    expect(rows.every((r) => r.includes('istio-sidecar'))).toBe(true);
    expect(section).toMatch(
      /\| low \| istio-sidecar \| p99 added \| 0\.25 ms \| 0\.75 ms \| \+0\.50 ms \(\+19\d%\) \| \+0\.\d\d–\+0\.\d\d \| 0\.\d+ ms \| 10% and 0\.20 ms \|/,
    );
  });

  it('lists every metric once in the full table, and escapes what would break a table', () => {
    const all = md.slice(md.indexOf('<details>'));
    expect(all.split('\n').filter((l) => /^\| (low|medium) \|/.test(l))).toHaveLength(c.metrics.length);
    expect(md).toContain('`night <2> & "co"`'); // inside code span: Markdown shows it verbatim
    expect(md).toMatch(/Benjamini-Hochberg/);
  });

  it('says so when nothing regressed', () => {
    const same = compareRuns(
      syntheticResults({ seed: 1, tiers: [{ name: 'low' }] }),
      syntheticResults({ seed: 2, tiers: [{ name: 'low' }] }),
      { analysis: FAST },
    );
    const text = renderCompareMarkdown(same);
    expect(text.split('\n')[0]).toBe('## meshbench compare: \u2705 no regression');
    expect(text).not.toContain('### Regressions');
  });
});

describe('renderCompareJUnit', () => {
  const c = regressed();
  const xml = renderCompareJUnit(c);

  it('has one test case per mode x tier x metric, a failure per regression, a suite per tier, and the gate', () => {
    // The gate's own case (candidate complete and judged) passes here: its only failures are regressions.
    expect(xml.match(/<testcase /g)).toHaveLength(c.metrics.length + 1);
    expect(xml.match(/<failure /g)).toHaveLength(c.summary.regressions);
    expect(xml.match(/<testsuite /g)).toHaveLength(2 + 1);
    expect(xml).toMatch(
      new RegExp(
        `<testsuites name="meshbench compare" tests="${c.metrics.length + 1}" failures="${c.summary.regressions}" errors="0" skipped="0"`,
      ),
    );
    expect(xml).toMatch(
      /<testcase name="p99 added" classname="meshbench\.compare\.low\.istio-sidecar" time="0\.000">\n\s+<failure message="p99 added istio-sidecar\/low: \+0\.5/,
    );
  });

  it('escapes XML in attributes and text', () => {
    expect(xml).toContain('value="night &lt;2&gt; &amp; &quot;co&quot;"');
    // Nothing but entities follows an ampersand.
    expect(xml.match(/&(?!(amp|lt|gt|quot|apos);)/g)).toBeNull();
  });

  it('marks rows that could not be judged as skipped', () => {
    const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }], modes: ['baseline'], repetitions: 1 });
    const b = syntheticResults({ seed: 2, tiers: [{ name: 'low' }], modes: ['baseline'], repetitions: 1 });
    const one = renderCompareJUnit(compareRuns(a, b, { analysis: FAST }));
    expect(one.match(/<skipped message="not judged: a run has one repetition"\/>/g)).toHaveLength(4);
    expect(one).toMatch(/skipped="4"/);
  });
});

describe('junit primitives', () => {
  it('escapes the five XML specials and replaces characters XML cannot hold', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\ufffd',
    );
  });

  it('renders an empty case as a self-closing element', () => {
    expect(renderJUnit('x', [{ name: 's', cases: [{ name: 'c', classname: 'k' }] }])).toContain(
      '<testcase name="c" classname="k" time="0.000"/>',
    );
  });
});

describe('renderCompareJson', () => {
  it('round-trips the comparison and never writes Infinity', () => {
    const c = regressed();
    const text = renderCompareJson(c);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(c)));
    expect(text).not.toMatch(/Infinity|NaN/);
    expect(JSON.parse(text)).toMatchObject({
      schema: 'meshbench/comparison',
      schemaVersion: 1,
      verdict: 'regression',
    });
  });
});
