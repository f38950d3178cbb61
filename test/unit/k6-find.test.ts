import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError } from '../../src/engines/engine.js';
import { errorKindForK6Code } from '../../src/engines/k6/error-codes.js';
import { findK6, K6_INSTALL_HINT, parseK6Version, versionAtLeast } from '../../src/engines/k6/find.js';
import { createK6Engine } from '../../src/engines/k6/index.js';
import { latencyMicros } from '../../src/engines/k6/tally.js';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli } from '../helpers/cli.js';

describe('parseK6Version', () => {
  it.each([
    ['k6 v0.48.0 (commit/47c0a26798, go1.19.8, linux/amd64)\n', '0.48.0'],
    [
      'k6 v1.0.0 (go1.24.1, linux/amd64)\nExtensions:\n  github.com/grafana/xk6-faker v0.4.0, k6/x/faker [js]\n',
      '1.0.0',
    ],
    ['k6 v0.50.0-rc1 (2024-03-01T00:00:00+0000/v0.50.0-rc1, go1.21.7, linux/amd64)', '0.50.0-rc1'],
    ['Usage: foo', undefined],
  ])('%j -> %s', (out, want) => {
    expect(parseK6Version(out)).toBe(want);
  });

  it.each([
    ['0.48.0', '0.34.0', true],
    ['0.34.0', '0.34.0', true],
    ['0.33.9', '0.34.0', false],
    ['1.0.0', '2.0.0', false],
    ['2.1.0-rc1', '2.0.0', true],
  ])('versionAtLeast(%s, %s) = %s', (v, min, want) => {
    expect(versionAtLeast(v, min)).toBe(want);
  });
});

describe('findK6 and the missing-binary error', () => {
  let dir = '';
  const savedPath = process.env['PATH'];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshbench-k6-find-test-'));
    // Test doubles of the k6 binary: one that answers like k6 v0.48, one that is not k6, one too old.
    const script = (out: string): string =>
      `#!${process.execPath}\nprocess.stdout.write(${JSON.stringify(out)});\n`;
    await writeFile(join(dir, 'k6'), script('k6 v0.48.0 (commit/47c0a26798, go1.19.8, linux/amd64)\n'));
    await writeFile(join(dir, 'not-k6'), script('hello\n'));
    await writeFile(join(dir, 'old-k6'), script('k6 v0.30.0 (2021-01-01, go1.15, linux/amd64)\n'));
    for (const f of ['k6', 'not-k6', 'old-k6']) await chmod(join(dir, f), 0o755);
  });
  afterAll(async () => {
    process.env['PATH'] = savedPath;
    await rm(dir, { recursive: true, force: true });
  });

  it('finds k6 by path and on PATH, and nothing that is not k6', async () => {
    expect(await findK6(join(dir, 'k6'))).toEqual({ path: join(dir, 'k6'), version: '0.48.0' });
    expect(await findK6(join(dir, 'not-k6'))).toBeNull();
    expect(await findK6(join(dir, 'absent'))).toBeNull();
    process.env['PATH'] = `${dir}${delimiter}${savedPath ?? ''}`;
    expect(await findK6()).toEqual({ path: join(dir, 'k6'), version: '0.48.0' });
    process.env['PATH'] = savedPath;
  });

  it('reports a missing or too old k6 as EngineUnavailableError with the install instructions', async () => {
    process.env['PATH'] = dir === '' ? '' : join(dir, 'nothing-here');
    const missing = await createK6Engine()
      .version()
      .catch((e: unknown) => e);
    process.env['PATH'] = savedPath;
    expect(missing).toBeInstanceOf(EngineUnavailableError);
    expect((missing as EngineUnavailableError).message).toBe('k6 is not on PATH');
    expect((missing as EngineUnavailableError).fix).toBe(K6_INSTALL_HINT);
    const old = await createK6Engine({ k6Path: join(dir, 'old-k6') })
      .version()
      .catch((e: unknown) => e);
    expect(old).toBeInstanceOf(EngineUnavailableError);
    expect((old as Error).message).toMatch(/k6 0.30.0 .* is too old: .* needs k6 0.34.0/);
    expect(await createK6Engine({ k6Path: join(dir, 'k6') }).version()).toBe('0.48.0');
  });

  it('a too old k6 is bad input for `run`: exit 2 with the fix, not an internal error, and nothing written', async () => {
    const out = join(dir, 'reports');
    const r = await runCli(['run', '--quick', '--k6', join(dir, 'old-k6'), '--out', out, '--run-id', 'old']);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.err.find((l) => l.startsWith('error: '))).toMatch(/^error: k6 0.30.0 .* is too old/);
    expect(r.err).toContain(`fix: ${K6_INSTALL_HINT}`);
    expect(r.err.join('\n')).not.toMatch(/internal error/);
    expect(existsSync(join(out, 'old'))).toBe(false);
  });

  it('the install hint names the official page, the Debian repository and Homebrew', () => {
    expect(K6_INSTALL_HINT).toContain('https://grafana.com/docs/k6/latest/set-up/install-k6/');
    expect(K6_INSTALL_HINT).toContain('https://dl.k6.io/deb stable main');
    expect(K6_INSTALL_HINT).toContain('brew install k6');
  });
});

describe('k6 error codes and latency rule', () => {
  it.each([
    [1050, 'timeout'],
    [1211, 'timeout'],
    [1210, 'refused'],
    [1212, 'refused'],
    [1220, 'reset'],
    [1201, 'reset'],
    [1000, 'other'],
    [1101, 'other'],
    [0, 'other'],
  ])('error_code %i is %s', (code, kind) => {
    expect(errorKindForK6Code(code)).toBe(kind);
  });

  it.each([
    ['a 200 at its duration', 1.5, 200, 0, 1500],
    ['a 500 at its duration', 2, 500, 1500, 2000],
    ['a request timeout at no less than the timeout', 4999.9, 0, 1050, 5_000_000],
    ['a request timeout k6 timed past the timeout', 5100, 0, 1050, 5_100_000],
    ['a refused connection not at all', 0, 0, 1212, undefined],
    ['a reset not at all', 3, 0, 1220, undefined],
  ])('records %s', (_what, ms, status, code, want) => {
    expect(latencyMicros(ms, status, code, 5000)).toBe(want);
  });
});
