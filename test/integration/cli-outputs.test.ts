import { linkSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../../src/files/write-json.js';
import { collect, runCli, spawnCli } from '../helpers/cli.js';
import { canMount, mountTmpfs, MOUNT_SKIP, unmount } from '../helpers/tmpfs.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

/**
 * Issue 14, "data loss" and "filesystem errors": no output of meshbench replaces an input or an earlier run,
 * and a path the user can fix (read-only, missing, not a directory, too long, full) is exit 2 naming the path
 * and the fix, with nothing half-written. Full and read-only file systems are real: tiny tmpfs mounts.
 */
let dir: string;
const mounts: string[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-outputs-'));
});
afterEach(async () => {
  for (const m of mounts.splice(0)) unmount(m);
  await rm(dir, { recursive: true, force: true });
});

const text = (r: { out: string[]; err: string[] }) => [...r.out, ...r.err].join('\n');

async function twoRuns(): Promise<{ a: string; b: string }> {
  const opts = { tiers: [{ name: 'low' }], modes: ['baseline', 'istio-sidecar'] as const };
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  await writeJsonAtomic(a, syntheticResults({ ...opts, modes: [...opts.modes], seed: 1 }));
  await writeJsonAtomic(b, syntheticResults({ ...opts, modes: [...opts.modes], seed: 2 }));
  return { a, b };
}

/** A tmpfs on a fresh directory under `dir`: read-only, or with no space left at all. */
async function mounted(name: string, kind: 'read-only' | 'full'): Promise<string> {
  const m = join(dir, name);
  await mkdir(m);
  mountTmpfs(m, { sizeKiB: 64, readOnly: kind === 'read-only' });
  mounts.push(m);
  if (kind === 'full') {
    try {
      writeFileSync(join(m, 'filler'), Buffer.alloc(1024 * 1024));
    } catch {
      // ENOSPC once 64 KiB are used: exactly what is wanted
    }
  }
  return m;
}

const mountIt = canMount ? it : it.skip;
const mountTitle = (t: string) => (canMount ? t : `${t} (${MOUNT_SKIP})`);

describe('no output replaces an input or an existing run', () => {
  it('compare --json naming the baseline, however spelt (./, symlink, hard link), is refused and the baseline kept', async () => {
    const { a, b } = await twoRuns();
    const before = await readFile(a, 'utf8');
    symlinkSync(a, join(dir, 'link.json'));
    linkSync(a, join(dir, 'hard.json'));
    for (const out of [a, join(dir, '.', 'a.json'), join(dir, 'link.json'), join(dir, 'hard.json')]) {
      const r = await runCli(['compare', a, b, '--json', out]);
      expect(r.code, text(r)).toBe(2);
      expect(r.err.join('\n')).toContain(`is the baseline results ${a}`);
      expect(r.out.join('\n')).not.toMatch(/wrote/);
    }
    // The candidate too, through --markdown and --junit.
    expect((await runCli(['compare', a, b, '--markdown', b])).code).toBe(2);
    expect((await runCli(['compare', a, b, '--junit', b])).code).toBe(2);
    expect(await readFile(a, 'utf8')).toBe(before);
  });

  it("history --json naming a night's results.json is refused and the night kept", async () => {
    const nights = join(dir, 'nights');
    for (let n = 1; n <= 3; n++)
      await writeJsonAtomic(
        join(nights, `n${n}`, 'results.json'),
        syntheticResults({ seed: n, tiers: [{ name: 'low' }], modes: ['baseline'] }),
      );
    const night = join(nights, 'n1', 'results.json');
    const before = await readFile(night, 'utf8');
    const r = await runCli(['history', nights, '--json', night, '--no-html']);
    expect(r.code, text(r)).toBe(2);
    expect(r.err.join('\n')).toMatch(/--json .*n1\/results\.json is the results of n1\/results\.json/);
    expect(await readFile(night, 'utf8')).toBe(before);
    expect(await readdir(nights)).toEqual(['n1', 'n2', 'n3']); // no history.md either
  });

  it("report --out '' is refused and writes nothing into the current directory", async () => {
    const { a } = await twoRuns();
    const cwd = join(dir, 'cwd');
    await mkdir(cwd);
    const r = await collect(spawnCli(['report', a, '--out', ''], {}, { cwd })).done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--out is empty/);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("report into another run's directory is refused without --force", async () => {
    const { a, b } = await twoRuns();
    const other = join(dir, 'other');
    await mkdir(other);
    await writeFile(join(other, 'results.json'), await readFile(b, 'utf8'));
    await writeFile(join(other, 'report.md'), 'the other run');
    const r = await runCli(['report', a, '--out', other]);
    expect(r.code, text(r)).toBe(2);
    expect(r.err.join('\n')).toMatch(/holds another run's results/);
    expect(await readFile(join(other, 'report.md'), 'utf8')).toBe('the other run');
    expect((await runCli(['report', a, '--out', other, '--force'])).code).toBe(0);
  });

  it('run --run-id X with an existing <out>/X/results.json is refused before anything starts; the earlier run is kept', async () => {
    const earlier = join(dir, 'X', 'results.json');
    await mkdir(join(dir, 'X'));
    await writeFile(earlier, 'the earlier run');
    const r = await runCli(['run', '--run-id', 'X', '--out', dir, '--modes', 'baseline', '--quick']);
    expect(r.code, text(r)).toBe(2);
    expect(r.err.join('\n')).toMatch(/X already exists and holds the results of an earlier run/);
    expect(r.err.join('\n')).toMatch(/fix: choose another --run-id/);
    expect(await readFile(earlier, 'utf8')).toBe('the earlier run');
  });

  it('a second run with the same --run-id (the first one holds <out>/X/) is refused, not merged into it', async () => {
    await mkdir(join(dir, 'X'));
    const r = await runCli(['run', '--run-id', 'X', '--out', dir, '--modes', 'baseline', '--quick']);
    expect(r.code, text(r)).toBe(2);
    expect(r.err.join('\n')).toMatch(/X already exists: a run never writes into an existing run's directory/);
    expect(await readdir(join(dir, 'X'))).toEqual([]);
  });
});

describe('filesystem errors are exit 2, naming the path and the fix, with nothing half-written', () => {
  mountIt(mountTitle('a read-only output path (EROFS): compare, report, size, history, run'), async () => {
    const { a, b } = await twoRuns();
    const nights = join(dir, 'nights');
    for (const [n, f] of [
      ['n1', a],
      ['n2', b],
    ] as const) {
      await mkdir(join(nights, n), { recursive: true });
      await writeFile(join(nights, n, 'results.json'), await readFile(f, 'utf8'));
    }
    const inventory = join(dir, 'inventory.csv');
    await writeFile(
      inventory,
      'name,namespace,replicas,peakRpsPerPod,avgRpsPerPod,podsPerNode\ncheckout,shop,2,100,50,1\n',
    );
    const ro = await mounted('ro', 'read-only');
    const runs: [string, string[]][] = [
      ['compare', ['compare', a, b, '--json', join(ro, 'c.json')]],
      ['report', ['report', a, '--out', join(ro, 'r')]],
      ['history', ['history', nights, '--out', ro, '--no-html']],
      ['size', ['size', inventory, '--results', a, '--out', ro, '--no-html']],
      // Checked before anything starts: the run's directory cannot be made.
      ['run', ['run', '--out', ro, '--modes', 'baseline', '--quick']],
    ];
    for (const [name, args] of runs) {
      const r = await runCli(args);
      expect(r.code, `${name}: ${text(r)}`).toBe(2);
      expect(r.err.join('\n'), name).toMatch(new RegExp(`cannot .* ${ro}.*read-only \\(EROFS\\)`));
      expect(r.err.join('\n'), name).toMatch(/^fix: write to a directory on a writable file system/m);
    }
  });

  it('a missing output path that cannot be created (ENOENT), a file on the way (ENOTDIR) and a 5000-character path (ENAMETOOLONG)', async () => {
    const { a, b } = await twoRuns();
    await writeFile(join(dir, 'file.txt'), 'x');
    const cases: [string, RegExp][] = [
      [
        '/proc/no-such-dir/c.json',
        /cannot create the directory for \/proc\/no-such-dir\/c\.json: .*\(ENOENT\)/,
      ],
      [
        join(dir, 'file.txt', 'c.json'),
        /file\.txt\/c\.json: a part of the path is a file, not a directory \(ENOTDIR\)/,
      ],
      [join(dir, 'x'.repeat(5000), 'c.json'), /\(5\d{3} characters\): .*too long .*\(ENAMETOOLONG\)/],
    ];
    for (const [out, message] of cases) {
      const r = await runCli(['compare', a, b, '--json', out]);
      expect(r.code, text(r)).toBe(2);
      expect(r.err.join('\n')).toMatch(message);
      expect(r.err.join('\n')).toMatch(/^fix: /m);
      expect(r.err.join('\n')).not.toMatch(/internal error/);
    }
  });

  mountIt(mountTitle('a full disk (ENOSPC): report leaves no temp file and no partial report'), async () => {
    const { a } = await twoRuns();
    const full = await mounted('full', 'full');
    const r = await runCli(['report', a, '--out', full]);
    expect(r.code, text(r)).toBe(2);
    expect(r.err.join('\n')).toMatch(/no space left on the device \(ENOSPC\)/);
    expect(await readdir(full)).toEqual(['filler']);
  });

  mountIt(
    mountTitle('a full disk (ENOSPC) at the start of a run: exit 2, no temp file, nothing started'),
    async () => {
      const full = await mounted('full', 'full');
      const r = await runCli([
        'run',
        '--run-id',
        'full-disk',
        '--out',
        full,
        '--modes',
        'baseline',
        '--quick',
      ]);
      expect(r.code, text(r)).toBe(2);
      expect(r.err.join('\n')).toMatch(/results\.json: no space left on the device \(ENOSPC\)/);
      expect(await readdir(full)).toEqual(['filler']);
    },
  );

  mountIt(mountTitle('compare --markdown ok.md --junit ro/x.xml writes neither'), async () => {
    const { a, b } = await twoRuns();
    const ro = await mounted('ro', 'read-only');
    const ok = join(dir, 'ok.md');
    const r = await runCli(['compare', a, b, '--markdown', ok, '--junit', join(ro, 'x.xml')]);
    expect(r.code, text(r)).toBe(2);
    await expect(stat(ok)).rejects.toThrow(/ENOENT/);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
