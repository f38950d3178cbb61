import type { Reporter, TestModule } from 'vitest/node';

/**
 * Lists every skipped test at the end of the run, grouped by the reason in its name ("SKIPPED: needs ..."):
 * the default reporter only counts them, and a test skipped for missing data or tools must be visible.
 */
export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, string[]>();
    for (const m of modules)
      for (const t of m.children.allTests()) {
        if (t.result().state !== 'skipped') continue;
        const reason =
          /\((SKIPPED: [^)]*)\)/.exec(t.fullName)?.[1] ?? 'skipped (no reason given in its name)';
        const file = m.moduleId.replace(`${process.cwd()}/`, '');
        const list = byReason.get(reason) ?? [];
        list.push(`${file} > ${t.name.replace(/ \(SKIPPED: [^)]*\)/, '')}`);
        byReason.set(reason, list);
      }
    if (byReason.size === 0) return;
    const lines = ['', 'Skipped tests:'];
    for (const [reason, tests] of byReason) {
      lines.push(`  ${reason}: ${tests.length} test${tests.length === 1 ? '' : 's'}`);
      for (const t of tests.slice(0, 3)) lines.push(`    - ${t}`);
      if (tests.length > 3) lines.push(`    - ... and ${tests.length - 3} more`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
