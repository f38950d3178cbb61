import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli.js';
import { REPO } from '../helpers/cli.js';

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; steps: { name?: string; run?: string; uses?: string }[] }>;
}

const silent = { out: () => {}, err: () => {}, status: () => {}, isTTY: false };

describe('the example nightly workflow', async () => {
  const text = await readFile(`${REPO}.github/workflows/nightly-example.yml`, 'utf8');
  const wf = parse(text) as Workflow;

  it('is an example: never triggered by pushes or pull requests, and inert until opted in', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    for (const job of Object.values(wf.jobs)) expect(job.if).toBe("vars.MESHBENCH_NIGHTLY == 'true'");
  });

  it('only uses options that the CLI has', () => {
    const program = buildProgram(silent);
    const optionsOf = (name: string) =>
      new Set(program.commands.find((c) => c.name() === name)?.options.map((o) => o.long) ?? []);
    const runs = Object.values(wf.jobs)
      .flatMap((j) => j.steps.map((s) => s.run ?? ''))
      .join('\n')
      .replace(/\\\n/g, ' ');
    const calls = [...runs.matchAll(/npx meshbench (\w+)([^\n]*)/g)];
    expect(calls.map((c) => c[1])).toEqual(['run', 'compare', 'history']);
    for (const [, command = '', args = ''] of calls) {
      const known = optionsOf(command);
      for (const flag of args.match(/--[a-z-]+/g) ?? []) expect(known, `${command} ${flag}`).toContain(flag);
    }
  });
});
