import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/engines/builtin/error-kind.js';

function sysError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('classifyError', () => {
  it.each([
    { name: 'ETIMEDOUT', err: sysError('ETIMEDOUT'), kind: 'timeout' },
    { name: 'ECONNREFUSED', err: sysError('ECONNREFUSED'), kind: 'refused' },
    { name: 'ECONNRESET', err: sysError('ECONNRESET'), kind: 'reset' },
    { name: 'EPIPE', err: sysError('EPIPE'), kind: 'reset' },
    { name: 'ECONNABORTED', err: sysError('ECONNABORTED'), kind: 'reset' },
    {
      name: 'refused inside cause',
      err: new Error('fetch failed', { cause: sysError('ECONNREFUSED') }),
      kind: 'refused',
    },
    {
      name: 'refused inside AggregateError',
      err: new AggregateError([sysError('ECONNREFUSED')]),
      kind: 'refused',
    },
    { name: 'an unknown error', err: new Error('boom'), kind: 'other' },
    { name: 'a thrown string', err: 'boom', kind: 'other' },
  ])('$name -> $kind', ({ err, kind }) => {
    expect(classifyError(err)).toBe(kind);
  });
});
