import { existsSync, linkSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../src/errors.js';
import { nodeWriterFs, writeFilesAtomically, type WriterFs } from '../../src/files/atomic-files.js';
import { shownPath } from '../../src/files/fs-error.js';
import { makeDirs } from '../../src/files/make-dirs.js';
import { assertOutputsSpareInputs, requirePathFlag } from '../../src/files/output-guard.js';

/**
 * The writer every output goes through (files/atomic-files.ts): all or nothing, no temp file left, errors a
 * user can fix as UserErrors naming the path. Failures are injected through its file-system seam here; the
 * same cases on real read-only and full tmpfs mounts are in test/integration/cli-outputs.test.ts.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function userError(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    if (isUserError(e)) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

/** The real file system, but the `failOnWrite`-th file write fails with `code` (as a full disk would). */
function failingFs(failOnWrite: number, code: string): WriterFs {
  let writes = 0;
  return {
    ...nodeWriterFs,
    open: async (p, f, m) => {
      const fh = await nodeWriterFs.open(p, f, m);
      return {
        writeFile: async (data) => {
          writes++;
          if (writes === failOnWrite) {
            await fh.writeFile(typeof data === 'string' ? data.slice(0, 3) : data.slice(0, 3)); // a partial write
            throw Object.assign(new Error(`${code}: injected`), { code });
          }
          await fh.writeFile(data);
        },
        sync: () => fh.sync(),
        close: () => fh.close(),
      };
    },
  };
}

describe('writeFilesAtomically', () => {
  it('writes every file, replacing older ones, and leaves no temp file', async () => {
    await writeFile(join(dir, 'a.md'), 'old');
    await writeFilesAtomically([
      { path: join(dir, 'a.md'), content: 'new a' },
      { path: join(dir, 'sub', 'b.json'), content: 'new b' },
    ]);
    expect(await readFile(join(dir, 'a.md'), 'utf8')).toBe('new a');
    expect(await readFile(join(dir, 'sub', 'b.json'), 'utf8')).toBe('new b');
    expect((await readdir(dir)).sort()).toEqual(['a.md', 'sub']);
  });

  it('a full disk (ENOSPC, injected) on the second file: nothing replaced, no temp file, new directories removed', async () => {
    await writeFile(join(dir, 'a.md'), 'old a');
    const e = await userError(
      writeFilesAtomically(
        [
          { path: join(dir, 'a.md'), content: 'new a' },
          { path: join(dir, 'new', 'deep', 'b.json'), content: 'new b' },
          { path: join(dir, 'c.xml'), content: 'new c' },
        ],
        failingFs(2, 'ENOSPC'),
      ),
    );
    expect(e.message).toBe(
      `cannot write ${join(dir, 'new', 'deep', 'b.json')}: no space left on the device (ENOSPC)`,
    );
    expect(e.fix).toMatch(/nothing was left half-written/);
    expect(await readFile(join(dir, 'a.md'), 'utf8')).toBe('old a');
    expect(await readdir(dir)).toEqual(['a.md']);
  });

  it('a target that is a directory is found before any file is replaced', async () => {
    await writeFile(join(dir, 'a.md'), 'old a');
    await mkdir(join(dir, 'b.json'));
    const e = await userError(
      writeFilesAtomically([
        { path: join(dir, 'a.md'), content: 'new a' },
        { path: join(dir, 'b.json'), content: 'new b' },
      ]),
    );
    expect(e.message).toMatch(/b\.json: it is a directory, where a file is expected \(EISDIR\)/);
    expect(await readFile(join(dir, 'a.md'), 'utf8')).toBe('old a');
    expect((await readdir(dir)).sort()).toEqual(['a.md', 'b.json']);
  });

  it('a file on the way (ENOTDIR) and a 5000-character path (ENAMETOOLONG) are UserErrors naming the path', async () => {
    await writeFile(join(dir, 'file'), 'x');
    expect(
      (await userError(writeFilesAtomically([{ path: join(dir, 'file', 'x.md'), content: '' }]))).message,
    ).toMatch(/file\/x\.md: a part of the path is a file, not a directory \(ENOTDIR\)/);
    const long = join(dir, 'y'.repeat(5000), 'x.md');
    const e = await userError(writeFilesAtomically([{ path: long, content: '' }]));
    expect(e.message).toContain(shownPath(long));
    expect(e.message).toMatch(/\(ENAMETOOLONG\)$/);
    expect(shownPath(long)).toMatch(/…y+\/x\.md \(\d{4} characters\)$/);
  });
});

describe('makeDirs', () => {
  it('creates the missing levels and reports the first one it made', async () => {
    expect(await makeDirs(join(dir, 'a', 'b', 'c'))).toBe(join(dir, 'a'));
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
    expect(await makeDirs(join(dir, 'a', 'b'))).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/self'))(
    'fails at once with ENOENT where no directory can be made (/proc), where recursive mkdir spins forever',
    async () => {
      await expect(makeDirs('/proc/no-such-dir/x')).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );
});

describe('outputs never replace inputs', () => {
  it('the same file however spelt (relative, symbolic link, hard link) is refused, naming both', async () => {
    const input = join(dir, 'a.json');
    await writeFile(input, '{}');
    symlinkSync(input, join(dir, 'sym.json'));
    linkSync(input, join(dir, 'hard.json'));
    for (const out of [input, `${dir}/./a.json`, join(dir, 'sym.json'), join(dir, 'hard.json')]) {
      const e = await userError(
        assertOutputsSpareInputs(
          [{ label: 'the baseline results', path: input }],
          [{ label: '--json', path: out }],
        ),
      );
      expect(e.message).toMatch(
        /^--json .* is the baseline results .*a\.json: writing it would replace that input$/,
      );
    }
    await assertOutputsSpareInputs(
      [{ label: 'in', path: input }],
      [{ label: 'out', path: join(dir, 'b.json') }],
    );
  });

  it('two outputs naming one file are refused; an empty path flag is refused', async () => {
    const e = await userError(
      assertOutputsSpareInputs(
        [],
        [
          { label: '--markdown', path: join(dir, 'x') },
          { label: '--json', path: `${dir}/x` },
        ],
      ),
    );
    expect(e.message).toMatch(/--json and --markdown are the same file/);
    expect(() => requirePathFlag('--out', '')).toThrow(/--out is empty/);
    expect(() => requirePathFlag('--out', '  ')).toThrow(/--out is empty/);
    expect(requirePathFlag('--out', undefined)).toBeUndefined();
  });
});
