import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupLeftovers } from '../../src/platforms/local/index.js';
import { readResults } from '../../src/results/read.js';
import { collect, runCli, spawnCli } from '../helpers/cli.js';
import { alive, leftovers, snapshotRun, waitFor, type RunSnapshot } from '../helpers/leftovers.js';

/**
 * Issue 14: SIGHUP (terminal closed) was not handled: the key directory stayed, results.json said "running",
 * no report. After a double Ctrl-C or SIGKILL results.json also stayed "running". Now SIGHUP is handled like
 * SIGINT, a second signal marks the results interrupted before exiting, and after SIGKILL (which no process
 * can handle) readers see that the process that wrote "running" is gone and read the run as interrupted.
 */
let dir: string;
const children: ReturnType<typeof spawnCli>[] = [];
const runIds: string[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-signals-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  // A run killed before it could tear down (the old behaviour, or a failed assertion) leaves its directory.
  for (const id of runIds.splice(0)) await cleanupLeftovers({ runId: id });
  await rm(dir, { recursive: true, force: true });
});

async function startRun(
  runId: string,
  modes: string,
): Promise<{
  child: ReturnType<typeof spawnCli>;
  done: ReturnType<typeof collect>['done'];
  snap: RunSnapshot;
}> {
  runIds.push(runId);
  const child = spawnCli([
    'run',
    '--quick',
    '--modes',
    modes,
    '--tiers',
    'low',
    '--repetitions',
    '3',
    '--run-id',
    runId,
    '--out',
    dir,
    '--json',
  ]);
  children.push(child);
  const { lines, done } = collect(child);
  const measuring = () =>
    lines.some((l) => {
      try {
        const e = JSON.parse(l) as { event?: string; phase?: string };
        return e.event === 'cell-progress' && e.phase === 'measure';
      } catch {
        return false;
      }
    });
  const snap = await waitFor(
    () => (measuring() ? snapshotRun(runId) : undefined),
    60_000,
    'a measuring cell',
  );
  return { child, done, snap };
}

const statusInFile = (runId: string) =>
  (JSON.parse(readFileSync(join(dir, runId, 'results.json'), 'utf8')) as { status: string }).status;

describe('signals end a run with final results', () => {
  it('SIGHUP with the terminal gone: tears down (keys removed), results interrupted, report written, exit 130', async () => {
    const runId = `sig-hup-${process.pid}`;
    const { child, done, snap } = await startRun(runId, 'baseline,istio-sidecar');
    expect(existsSync(join(snap.runDir, 'certs'))).toBe(true); // the run's CA and proxy keys
    // A closed terminal: nobody reads the run's output any more, so its writes fail (EPIPE), then SIGHUP.
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.kill('SIGHUP');
    const r = await done;
    expect(r.code).toBe(130);
    expect(statusInFile(runId)).toBe('interrupted');
    expect(existsSync(join(dir, runId, 'report.md'))).toBe(true);
    expect(leftovers(snap)).toEqual([]); // processes, ports and the run directory with its keys
  });

  it('a second SIGINT: results.json says interrupted (not running) before the process exits', async () => {
    const runId = `sig-int2-${process.pid}`;
    const { child, done, snap } = await startRun(runId, 'baseline,appmesh');
    // The second signal once the first is being handled (two signals sent at once may reach the process as
    // one), so that it arrives while the run is tearing down.
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.kill('SIGINT');
    await waitFor(
      () => (/SIGINT: stopping/.test(stderr) ? true : undefined),
      10_000,
      'the first SIGINT handled',
    );
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(statusInFile(runId)).toBe('interrupted');
    const error = (await readResults(join(dir, runId, 'results.json'))).error;
    // Marked by the second signal, unless the graceful teardown had already finished and marked it itself.
    if (error !== undefined) expect(error).toMatch(/SIGINT twice: killed before teardown finished/);
    await waitFor(() => (snap.pids.every((p) => !alive(p)) ? true : undefined), 5_000, 'every process gone');
  });

  it('SIGKILL: the file still says running, but readers see its writer gone and read the run as interrupted', async () => {
    const runId = `sig-kill-${process.pid}`;
    const { child, done, snap } = await startRun(runId, 'baseline,istio-ambient');
    child.kill('SIGKILL');
    await done;
    expect(statusInFile(runId)).toBe('running'); // nothing could be written: SIGKILL is not catchable
    const results = await readResults(join(dir, runId, 'results.json'));
    expect(results.status).toBe('interrupted');
    expect(results.error).toMatch(new RegExp(`pid ${child.pid} .* ended without finishing it`));
    const report = await runCli(['report', join(dir, runId, 'results.json')]);
    expect(report.code).toBe(0);
    expect(readFileSync(join(dir, runId, 'report.md'), 'utf8')).toMatch(/The run is interrupted/);
    // And `meshbench cleanup` still finds what it left, through the marker in its run directory.
    const c = await runCli(['cleanup', '--run', runId]);
    expect(c.out.join('\n')).toContain(`directory ${snap.runDir}`);
    await waitFor(() => (leftovers(snap).length === 0 ? true : undefined), 10_000, 'leftovers gone');
  });
});
