/**
 * JUnit XML, the test-report format CI systems read natively (Jenkins, GitLab, GitHub test reporters,
 * Azure DevOps): testsuites > testsuite > testcase, with <failure> or <skipped> inside a case. Written to
 * the widely accepted subset (the Ant/Surefire schema): attributes name, classname, tests, failures,
 * errors, skipped, time.
 */
export interface JUnitCase {
  name: string;
  classname: string;
  /** Seconds; 0 when not timed. */
  timeSec?: number;
  failure?: { message: string; type: string; details: string };
  skipped?: { message: string };
  /** Shown by most CI systems as the case's output. */
  systemOut?: string;
}

export interface JUnitSuite {
  name: string;
  timestamp?: string;
  properties?: Record<string, string>;
  cases: JUnitCase[];
}

/** Characters XML 1.0 cannot hold at all (controls other than tab, LF, CR; lone surrogates; U+FFFE/F). */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what must go
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g;

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function count(suites: readonly JUnitSuite[] | JUnitSuite, pick: (c: JUnitCase) => boolean): number {
  const list = Array.isArray(suites) ? suites : [suites as JUnitSuite];
  return list.reduce((n, s) => n + s.cases.filter(pick).length, 0);
}

function renderCase(c: JUnitCase): string[] {
  const open = `    <testcase${attrs({ name: c.name, classname: c.classname, time: (c.timeSec ?? 0).toFixed(3) })}`;
  const inner: string[] = [];
  if (c.failure) {
    inner.push(
      `      <failure${attrs({ message: c.failure.message, type: c.failure.type })}>${escapeXml(c.failure.details)}</failure>`,
    );
  }
  if (c.skipped) inner.push(`      <skipped${attrs({ message: c.skipped.message })}/>`);
  if (c.systemOut) inner.push(`      <system-out>${escapeXml(c.systemOut)}</system-out>`);
  return inner.length === 0 ? [`${open}/>`] : [`${open}>`, ...inner, '    </testcase>'];
}

export function renderJUnit(name: string, suites: readonly JUnitSuite[]): string {
  const totals = {
    tests: count(suites, () => true),
    failures: count(suites, (c) => c.failure !== undefined),
    errors: 0,
    skipped: count(suites, (c) => c.skipped !== undefined && c.failure === undefined),
  };
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name, ...totals, time: '0.000' })}>`,
  ];
  suites.forEach((s, id) => {
    out.push(
      `  <testsuite${attrs({
        name: s.name,
        id,
        tests: s.cases.length,
        failures: count(s, (c) => c.failure !== undefined),
        errors: 0,
        skipped: count(s, (c) => c.skipped !== undefined && c.failure === undefined),
        time: '0.000',
        timestamp: s.timestamp,
      })}>`,
    );
    const props = Object.entries(s.properties ?? {});
    if (props.length > 0) {
      out.push('    <properties>');
      for (const [k, v] of props) out.push(`      <property${attrs({ name: k, value: v })}/>`);
      out.push('    </properties>');
    }
    for (const c of s.cases) out.push(...renderCase(c));
    out.push('  </testsuite>');
  });
  out.push('</testsuites>', '');
  return out.join('\n');
}
