import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readResults } from '../../src/results/read.js';
import { RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, type ResultsFile } from '../../src/results/schema.js';
import { writeJsonAtomic } from '../../src/files/write-json.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import { createHistogram, encodeHistogram, recordMicros } from '../../src/stats/histogram.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-results-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function minimalResults(): ResultsFile {
  const h = createHistogram();
  recordMicros(h, 800);
  return {
    schema: RESULTS_SCHEMA,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: 'r1',
    status: 'complete',
    startedAt: '2026-11-21T00:00:00.000Z',
    spec: DEFAULT_SPEC,
    plan: { order: 'interleaved', cells: [{ mode: 'baseline', tier: 'low', repetition: 1 }] },
    environment: {
      platform: 'local',
      meshbenchVersion: '0',
      node: 'v20',
      os: 'Linux',
      kernel: '6',
      hostname: 'h',
      cpuModel: 'c',
      cpus: 2,
      memoryGiB: 24,
      engine: { name: 'builtin', version: 'x' },
      proxy: { name: 'haproxy', version: '2.6' },
    },
    topology: [
      {
        mode: 'baseline',
        pods: [{ name: 'client', role: 'client', node: 'node-1' }],
        nodes: ['node-1'],
        proxies: [],
        path: ['client', 'app'],
      },
    ],
    cells: [
      {
        mode: 'baseline',
        tier: 'low',
        repetition: 1,
        index: 0,
        status: 'ok',
        startedAt: 'a',
        finishedAt: 'b',
        flags: [],
        latency: {
          histogram: encodeHistogram(h),
          coordinatedOmissionCorrected: true,
          requests: 1,
          ok: 1,
          errors: { byStatus: {}, byKind: {} },
          dropped: 0,
          targetRps: 1,
          achievedRps: 1,
          measureSeconds: 1,
        },
        proxies: [],
      },
    ],
  };
}

async function rejection(path: string): Promise<UserError> {
  try {
    await readResults(path);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected readResults to reject');
}

describe('results.json write and read', () => {
  it('round-trips a results file and leaves no temp file behind', async () => {
    const p = join(dir, 'results.json');
    await writeJsonAtomic(p, minimalResults());
    await writeJsonAtomic(p, { ...minimalResults(), runId: 'r2' });
    expect((await readResults(p)).runId).toBe('r2');
    expect(await readdir(dir)).toEqual(['results.json']);
  });

  it('refuses a file that is not JSON, naming the file', async () => {
    const p = join(dir, 'cut.json');
    const text = JSON.stringify(minimalResults());
    await writeFile(p, text.slice(0, text.length / 2));
    const e = await rejection(p);
    expect(e.message).toMatch(/cut\.json is not valid JSON/);
  });

  it('refuses a foreign JSON file and a newer schema version with the fix', async () => {
    const foreign = join(dir, 'package.json');
    await writeFile(foreign, JSON.stringify({ name: 'x' }));
    expect((await rejection(foreign)).message).toMatch(/not a meshbench results file/);
    const newer = join(dir, 'newer.json');
    await writeFile(newer, JSON.stringify({ ...minimalResults(), schemaVersion: 99 }));
    const e = await rejection(newer);
    expect(e.message).toMatch(/schema version 99/);
    expect(e.fix).toMatch(/meshbench version that wrote the file/);
  });

  it('lists structural problems with their paths', async () => {
    const r = minimalResults() as unknown as { cells: Record<string, unknown>[] };
    r.cells[0]!.mode = 'nomesh';
    const p = join(dir, 'bad.json');
    await writeFile(p, JSON.stringify(r));
    expect((await rejection(p)).problems.join('\n')).toMatch(/cells\[0\]\.mode: 'nomesh' is not one of/);
    const r2 = minimalResults() as unknown as { cells: Record<string, unknown>[] };
    delete r2.cells[0]!.latency;
    await writeFile(p, JSON.stringify(r2));
    expect((await rejection(p)).problems.join('\n')).toMatch(
      /cells\[0\]: a cell with status ok must have latency/,
    );
  });

  it('reads back exactly what was written', async () => {
    const p = join(dir, 'results.json');
    const r = minimalResults();
    await writeJsonAtomic(p, r);
    expect(JSON.parse(await readFile(p, 'utf8'))).toEqual(r);
  });
});
