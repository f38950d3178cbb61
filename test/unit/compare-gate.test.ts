import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/types.js';
import type { ModeName } from '../../src/modes/mode.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { writeJsonAtomic } from '../../src/files/write-json.js';
import { runCli } from '../helpers/cli.js';
import { syntheticResults, type SyntheticOptions } from '../helpers/synthetic-results.js';

/**
 * Issue 14, "the nightly gate passes broken runs": `compare` exited 0 with "✅ no regression" when every
 * istio-sidecar cell of the candidate had failed, and 0 with "⚠ nothing could be judged" when every cell had
 * failed or there were none. A mode, tier or cell that failed or is missing in the candidate now fails the
 * gate (exit 1, a headline saying so) unless --allow-partial; nothing judged is never exit 0.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-gate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MODES: ModeName[] = ['baseline', 'istio-sidecar', 'istio-ambient'];
const run = (seed: number, extra: Partial<SyntheticOptions> = {}): ResultsFile =>
  syntheticResults({ seed, modes: MODES, tiers: [{ name: 'low' }, { name: 'medium' }], ...extra });

async function compare(
  baseline: ResultsFile,
  candidate: ResultsFile,
  flags: string[] = [],
): Promise<{ code: number; headline: string; markdown: string; json: Comparison; junit: string }> {
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  await writeJsonAtomic(a, baseline);
  await writeJsonAtomic(b, candidate);
  const out = join(dir, 'c.json');
  const junit = join(dir, 'c.xml');
  const r = await runCli(['compare', a, b, '--json', out, '--junit', junit, ...flags]);
  expect(r.code, r.err.join('\n')).not.toBe(2);
  return {
    code: r.code,
    headline: r.out.join('\n').split('\n')[0] ?? '',
    markdown: r.out.join('\n'),
    json: JSON.parse(await readFile(out, 'utf8')) as Comparison,
    junit: await readFile(junit, 'utf8'),
  };
}

describe('the nightly gate', () => {
  it('a complete candidate with no regression passes (exit 0)', async () => {
    const c = await compare(run(1), run(2));
    expect(c.code).toBe(0);
    expect(c.headline).toBe('## meshbench compare: \u2705 no regression');
    expect(c.json.gate).toMatchObject({ passed: true, failures: [] });
  });

  it('every istio-sidecar cell of the candidate failed: exit 1, the headline says the candidate is incomplete', async () => {
    const candidate = run(2, {
      cell: (k) =>
        k.mode === 'istio-sidecar' ? { status: 'failed', error: 'connection refused by client-sidecar' } : {},
    });
    const c = await compare(run(1), candidate);
    expect(c.code).toBe(1);
    expect(c.headline).toMatch(
      /^## meshbench compare: \u274c gate failed: the candidate is incomplete \(2 problems\)/,
    );
    expect(c.markdown).toContain(
      '- istio-sidecar / low: 0 of 3 repetitions measured (3 failed: connection refused by client-sidecar)',
    );
    expect(c.markdown).toContain('- istio-sidecar / medium: 0 of 3 repetitions measured');
    expect(c.json.gate.passed).toBe(false);
    expect(c.junit).toMatch(/<failure message="istio-sidecar \/ low: 0 of 3 repetitions measured/);
  });

  it('a missing cell (the run ended early) and an interrupted run fail the gate too', async () => {
    const candidate = run(2, {
      status: 'interrupted',
      cell: (k) =>
        k.mode === 'istio-ambient' && k.tier === 'medium' && k.repetition === 3 ? { status: 'missing' } : {},
    });
    const c = await compare(run(1), candidate);
    expect(c.code).toBe(1);
    expect(c.json.gate.failures).toEqual([
      'the candidate run is interrupted',
      'istio-ambient / medium: 2 of 3 repetitions measured (1 missing)',
    ]);
  });

  it('--allow-partial lets a candidate with failed cells pass on what it measured, and says what it let through', async () => {
    const candidate = run(2, { cell: (k) => (k.mode === 'istio-sidecar' ? { status: 'failed' } : {}) });
    const c = await compare(run(1), candidate, ['--allow-partial']);
    expect(c.code).toBe(0);
    expect(c.headline).toBe('## meshbench compare: \u2705 no regression (partial: 2 gaps allowed)');
    expect(c.markdown).toContain('Allowed by --allow-partial');
    expect(c.json.gate.allowed).toHaveLength(2);
  });

  it('every cell of the candidate failed: exit 1, "nothing could be judged", also with --allow-partial', async () => {
    const candidate = run(2, { cell: () => ({ status: 'failed' }) });
    for (const flags of [[], ['--allow-partial']]) {
      const c = await compare(run(1), candidate, flags);
      expect(c.code, flags.join(' ')).toBe(1);
      expect(c.json.gate.failures.at(-1)).toMatch(/^nothing could be judged/);
    }
    const strict = await compare(run(1), candidate);
    expect(strict.headline).toMatch(/\u274c gate failed/);
  });

  it('a candidate with no cells at all: exit 1, never 0', async () => {
    const candidate = run(2, { status: 'failed', cell: () => ({ status: 'missing' }) });
    const c = await compare(run(1), candidate, ['--allow-partial']);
    expect(c.code).toBe(1);
    expect(c.headline).toBe('## meshbench compare: \u274c gate failed: nothing could be judged');
  });

  it('single-repetition runs judge nothing: exit 1 with the reason', async () => {
    const c = await compare(run(1, { repetitions: 1 }), run(2, { repetitions: 1 }));
    expect(c.code).toBe(1);
    expect(c.json.gate.failures).toEqual([
      expect.stringMatching(
        /^nothing could be judged: none of the \d+ metrics has the data \(or the repetitions\)/,
      ),
    ]);
  });
});
