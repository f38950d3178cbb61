import { describe, expect, it } from 'vitest';
import {
  Http1ResponseParser,
  HttpParseError,
  MAX_HEAD_BYTES,
  type ParsedResponse,
} from '../../src/engines/builtin/http1-response-parser.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const body = 'x'.repeat(1024);

/** Feeds `pieces` in order; returns the index of the piece the response completed in, and the response. */
function feed(pieces: Buffer[]): { at: number; r: ParsedResponse | undefined } {
  const p = new Http1ResponseParser();
  for (const [k, piece] of pieces.entries()) {
    const r = p.push(piece, 0, piece.length);
    if (r) return { at: k, r };
  }
  return { at: -1, r: undefined };
}

const cases: { name: string; wire: string; expected: ParsedResponse; closeFramed?: boolean }[] = [
  {
    name: 'Content-Length (nginx)',
    wire: `HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 1024\r\nConnection: keep-alive\r\n\r\n${body}`,
    expected: { status: 200, keepAlive: true },
  },
  {
    name: 'chunked, with an extension and a trailer',
    wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n4;ext=1\r\nabcd\r\nA \r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n',
    expected: { status: 200, keepAlive: true },
  },
  {
    name: 'an interim 100 Continue before the response',
    wire: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\ncontent-length: 3\r\n\r\nbad',
    expected: { status: 503, keepAlive: true },
  },
  {
    name: '204 ignores a Content-Length',
    wire: 'HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n',
    expected: { status: 204, keepAlive: true },
  },
  {
    name: 'Connection: close',
    wire: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: Close\r\n\r\nok',
    expected: { status: 200, keepAlive: false },
  },
  {
    name: 'HTTP/1.0 is not keep-alive unless it says so',
    wire: 'HTTP/1.0 200\r\nContent-Length: 2\r\n\r\nok',
    expected: { status: 200, keepAlive: false },
  },
  {
    name: 'HTTP/1.0 with Connection: keep-alive',
    wire: 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n',
    expected: { status: 200, keepAlive: true },
  },
];

describe('HTTP/1.1 response parser', () => {
  it.each(cases)('$name: complete in one read', ({ wire, expected }) => {
    expect(feed([b(wire)])).toEqual({ at: 0, r: expected });
  });

  it.each(cases)('$name: complete at the last byte whatever the split', ({ wire, expected }) => {
    const all = b(wire);
    for (let cut = 1; cut < all.length; cut++) {
      expect(feed([all.subarray(0, cut), all.subarray(cut)]), `split at ${cut}`).toEqual({
        at: 1,
        r: expected,
      });
    }
    const bytes = [...all].map((c) => Buffer.from([c]));
    expect(feed(bytes)).toEqual({ at: bytes.length - 1, r: expected });
  });

  it('reads only buf[start, end) of a larger (reused) buffer', () => {
    const wire = b('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    const big = Buffer.alloc(4096, 'Z');
    wire.copy(big, 100);
    const p = new Http1ResponseParser();
    expect(p.push(big, 100, 100 + wire.length - 1)).toBeUndefined();
    expect(p.push(big, 100 + wire.length - 1, 100 + wire.length)).toEqual({ status: 200, keepAlive: true });
  });

  it('parses the next response on the same connection after reset()', () => {
    const p = new Http1ResponseParser();
    const one = b('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    const two = b('HTTP/1.1 500 Oops\r\nContent-Length: 1\r\n\r\n!');
    expect(p.push(one, 0, one.length)?.status).toBe(200);
    p.reset();
    expect(p.midResponse).toBe(false);
    expect(p.push(two, 0, 5)).toBeUndefined();
    expect(p.midResponse).toBe(true);
    expect(p.push(two, 5, two.length)?.status).toBe(500);
  });

  it('frames a body without length by the end of the connection', () => {
    const p = new Http1ResponseParser();
    const wire = b(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n${body}`);
    expect(p.push(wire, 0, wire.length)).toBeUndefined();
    expect(p.end()).toEqual({ status: 200, keepAlive: false });
  });

  it('end(): nothing read is no response; a cut-short body is an error', () => {
    expect(new Http1ResponseParser().end()).toBeUndefined();
    const p = new Http1ResponseParser();
    const wire = b('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    p.push(wire, 0, wire.length);
    expect(() => p.end()).toThrow(/closed before the response was complete/);
  });

  it.each([
    {
      name: 'not HTTP',
      wire: 'SSH-2.0-OpenSSH\r\n\r\n',
      error: /not an HTTP\/1.x status line: "SSH-2.0-OpenSSH"/,
    },
    { name: 'HTTP/2 status line', wire: 'HTTP/2 200\r\n\r\n', error: /not an HTTP\/1.x status line/ },
    {
      name: 'a header without colon',
      wire: 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n',
      error: /malformed header line: "broken"/,
    },
    {
      name: 'a bad Content-Length',
      wire: 'HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n',
      error: /invalid Content-Length: "1e3"/,
    },
    {
      name: 'conflicting Content-Lengths',
      wire: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      error: /conflicting Content-Length/,
    },
    {
      name: 'a bad chunk size',
      wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      error: /invalid chunk size: "zz"/,
    },
    {
      name: 'chunk data not followed by CRLF',
      wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc',
      error: /chunk data not followed by CRLF/,
    },
    {
      name: '101 Switching Protocols',
      wire: 'HTTP/1.1 101 Switching Protocols\r\n\r\n',
      error: /unexpected 101/,
    },
    {
      name: 'bytes after the response',
      wire: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n',
      error: /bytes after the end of the response/,
    },
  ])('rejects $name', ({ wire, error }) => {
    const p = new Http1ResponseParser();
    const all = b(wire);
    expect(() => p.push(all, 0, all.length)).toThrow(HttpParseError);
    expect(() => new Http1ResponseParser().push(all, 0, all.length)).toThrow(error);
  });

  it('refuses a head that never ends instead of buffering it without bound', () => {
    const p = new Http1ResponseParser();
    const line = b(`HTTP/1.1 200 OK\r\n`);
    p.push(line, 0, line.length);
    const filler = b(`X-Filler: ${'f'.repeat(1000)}\r\n`);
    expect(() => {
      for (let k = 0; k * filler.length <= MAX_HEAD_BYTES; k++) p.push(filler, 0, filler.length);
    }).toThrow(/response head longer than 32768 bytes/);
  });
});
