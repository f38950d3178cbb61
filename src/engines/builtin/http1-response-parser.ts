/**
 * An incremental HTTP/1.1 response parser for one keep-alive connection with one request at a time (no
 * pipelining). It reads what the load generator needs, the status and where the response ends, and skips
 * the body without copying it. Bodies are framed by Content-Length, chunked transfer coding, or the end of
 * the connection (RFC 9112 section 6.3); 1xx interim responses are skipped.
 *
 * It works on bytes and allocates almost nothing per response: at thousands of responses a second, every
 * string made here is garbage that the worker's GC must stop the event loop to collect, and those pauses
 * show up as latency.
 */

/** A complete response: its status, and whether the connection may carry another request. */
export interface ParsedResponse {
  status: number;
  keepAlive: boolean;
}

/** The server sent something that is not a valid response (or more than one response per request). */
export class HttpParseError extends Error {
  readonly code = 'MESHBENCH_HTTP_PARSE';
  constructor(message: string) {
    super(message);
    this.name = 'HttpParseError';
  }
}

/** Heads longer than this are refused rather than buffered without bound. */
export const MAX_HEAD_BYTES = 32 * 1024;
/** Chunk-size lines and trailer lines are short; anything longer is garbage. */
const MAX_LINE_BYTES = 4096;

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const COLON = 58;

const enum At {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailer,
  UntilClose,
  Done,
}

const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding', 'latin1');
const CONNECTION = Buffer.from('connection', 'latin1');

/** buf[s, e) equals `name` ignoring ASCII case (`name` is lower case). */
function nameIs(buf: Uint8Array, s: number, e: number, name: Uint8Array): boolean {
  if (e - s !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (((buf[s + k] as number) | 0x20) !== name[k]) return false;
  return true;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

function latin1(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
}

const CLOSE = Buffer.from('close', 'latin1');
const KEEP_ALIVE = Buffer.from('keep-alive', 'latin1');
const CHUNKED = Buffer.from('chunked', 'latin1');

/**
 * Walks the comma-separated tokens of a header value buf[s, e), trimmed: calls `each` with every token's bounds.
 */
function eachToken(buf: Uint8Array, s: number, e: number, each: (ts: number, te: number) => void): void {
  let k = s;
  while (k < e) {
    let ts = k;
    while (k < e && buf[k] !== 44) k++; // ','
    let te = k;
    while (ts < te && (buf[ts] === SP || buf[ts] === HT)) ts++;
    while (te > ts && (buf[te - 1] === SP || buf[te - 1] === HT)) te--;
    if (te > ts) each(ts, te);
    k++;
  }
}

interface Head {
  status: number;
  keepAlive: boolean;
  chunked: boolean;
  contentLength: number;
}

/** Parses a response head: the bytes buf[s, e) before its blank line. contentLength is -1 when absent. */
function parseHead(buf: Uint8Array, s: number, e: number): Head {
  // "HTTP/1.x SSS" then a space (and a reason) or the end of the line.
  const okStart =
    e - s >= 12 &&
    buf[s] === 72 && // H
    buf[s + 1] === 84 && // T
    buf[s + 2] === 84 && // T
    buf[s + 3] === 80 && // P
    buf[s + 4] === 47 && // /
    buf[s + 5] === 49 && // 1
    buf[s + 6] === 46 && // .
    (buf[s + 7] === 48 || buf[s + 7] === 49) &&
    buf[s + 8] === SP &&
    isDigit(buf[s + 9]) &&
    isDigit(buf[s + 10]) &&
    isDigit(buf[s + 11]) &&
    (e - s === 12 || buf[s + 12] === SP || buf[s + 12] === CR);
  if (!okStart) {
    let eol = s;
    while (eol < e && buf[eol] !== CR) eol++;
    throw new HttpParseError(
      `not an HTTP/1.x status line: ${JSON.stringify(latin1(buf, s, Math.min(eol, s + 80)))}`,
    );
  }
  const http10 = buf[s + 7] === 48;
  const status =
    ((buf[s + 9] as number) - 48) * 100 +
    ((buf[s + 10] as number) - 48) * 10 +
    ((buf[s + 11] as number) - 48);
  let contentLength = -1;
  let chunked = false;
  let close = false;
  let keepAliveToken = false;
  // Each header line: from `i` to the next CRLF (or the end of the head).
  let i = s;
  while (i < e && buf[i] !== LF) i++;
  i++;
  while (i < e) {
    let eol = i;
    while (eol < e && buf[eol] !== CR) eol++;
    let colon = i;
    while (colon < eol && buf[colon] !== COLON) colon++;
    if (colon === i || colon === eol)
      throw new HttpParseError(
        `malformed header line: ${JSON.stringify(latin1(buf, i, Math.min(eol, i + 80)))}`,
      );
    let vs = colon + 1;
    let ve = eol;
    while (vs < ve && (buf[vs] === SP || buf[vs] === HT)) vs++;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
    if (nameIs(buf, i, colon, CONTENT_LENGTH)) {
      if (vs === ve || ve - vs > 15)
        throw new HttpParseError(`invalid Content-Length: ${JSON.stringify(latin1(buf, vs, ve))}`);
      let n = 0;
      for (let k = vs; k < ve; k++) {
        if (!isDigit(buf[k]))
          throw new HttpParseError(`invalid Content-Length: ${JSON.stringify(latin1(buf, vs, ve))}`);
        n = n * 10 + ((buf[k] as number) - 48);
      }
      if (contentLength !== -1 && contentLength !== n)
        throw new HttpParseError('conflicting Content-Length headers');
      contentLength = n;
    } else if (nameIs(buf, i, colon, TRANSFER_ENCODING)) {
      // Chunked when it is the last coding applied (the last token of the last such header).
      eachToken(buf, vs, ve, (ts, te) => (chunked = nameIs(buf, ts, te, CHUNKED)));
    } else if (nameIs(buf, i, colon, CONNECTION)) {
      eachToken(buf, vs, ve, (ts, te) => {
        if (nameIs(buf, ts, te, CLOSE)) close = true;
        else if (nameIs(buf, ts, te, KEEP_ALIVE)) keepAliveToken = true;
      });
    }
    i = eol + 2;
  }
  const keepAlive = http10 ? keepAliveToken && !close : !close;
  return { status, keepAlive, chunked, contentLength };
}

/**
 * Feed it the bytes a connection reads, in order; it returns the response once its last byte has arrived.
 * Call reset() before each request.
 */
export class Http1ResponseParser {
  private at: At = At.Head;
  /** Body or chunk bytes still to skip (Length, ChunkData), or CRLF bytes seen (ChunkEnd). */
  private remaining = 0;
  /** A head (or chunk line) split over reads, copied here until its end arrives. */
  private partial: Buffer = Buffer.alloc(0);
  private partialLength = 0;
  private response: ParsedResponse = { status: 0, keepAlive: true };

  /** True while a response has begun (any byte read) but is not complete. */
  get midResponse(): boolean {
    return this.at !== At.Done && (this.at !== At.Head || this.partialLength > 0);
  }

  reset(): void {
    this.at = At.Head;
    this.remaining = 0;
    this.partialLength = 0;
  }

  /**
   * Reads buf[start, end). Returns the response when it completes in these bytes, undefined when more are
   * needed. Throws HttpParseError on anything malformed, and on bytes after the response's end (the client
   * sends one request at a time, so a second response was never asked for).
   */
  push(buf: Uint8Array, start: number, end: number): ParsedResponse | undefined {
    let i = start;
    while (i < end) {
      switch (this.at) {
        case At.Head:
          i = this.readHead(buf, i, end);
          break;
        case At.Length:
        case At.ChunkData: {
          const n = Math.min(this.remaining, end - i);
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) {
            this.at = this.at === At.Length ? At.Done : At.ChunkEnd;
          }
          break;
        }
        case At.ChunkSize: {
          const lineEnd = this.readLine(buf, i, end);
          if (lineEnd < 0) return undefined;
          i = lineEnd;
          const size = this.chunkSize();
          if (size === 0) this.at = At.Trailer;
          else {
            this.at = At.ChunkData;
            this.remaining = size;
          }
          break;
        }
        case At.ChunkEnd: {
          if (buf[i] !== (this.remaining === 0 ? CR : LF))
            throw new HttpParseError('chunk data not followed by CRLF');
          i++;
          if (++this.remaining === 2) this.at = At.ChunkSize;
          break;
        }
        case At.Trailer: {
          const lineEnd = this.readLine(buf, i, end);
          if (lineEnd < 0) return undefined;
          i = lineEnd;
          if (this.partialLength === 0) this.at = At.Done; // the empty line ends the trailers
          this.partialLength = 0;
          break;
        }
        case At.UntilClose:
          i = end;
          break;
        case At.Done:
          throw new HttpParseError(`${end - i} bytes after the end of the response`);
      }
    }
    return this.at === At.Done ? this.response : undefined;
  }

  /**
   * The connection reached its end: returns the response if its body was framed by the close, undefined if
   * nothing of a response had arrived yet, and throws if the response was cut short.
   */
  end(): ParsedResponse | undefined {
    if (this.at === At.UntilClose) {
      this.at = At.Done;
      return this.response;
    }
    if (this.midResponse) throw new HttpParseError('connection closed before the response was complete');
    return undefined;
  }

  private keep(buf: Uint8Array, s: number, e: number, limit: number, what: string): void {
    const need = this.partialLength + (e - s);
    if (need > limit) throw new HttpParseError(`${what} longer than ${limit} bytes`);
    if (need > this.partial.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.partial.length * 2, 256));
      this.partial.copy(bigger, 0, 0, this.partialLength);
      this.partial = bigger;
    }
    this.partial.set(buf.subarray(s, e), this.partialLength);
    this.partialLength = need;
  }

  private readHead(buf: Uint8Array, start: number, end: number): number {
    let next: number;
    let head: Head;
    if (this.partialLength === 0) {
      // The usual case: the whole head is in this read, and is parsed where it lies.
      let k = start;
      while (k + 3 < end && !(buf[k] === CR && buf[k + 1] === LF && buf[k + 2] === CR && buf[k + 3] === LF))
        k++;
      if (k + 3 >= end) {
        this.keep(buf, start, end, MAX_HEAD_BYTES, 'response head');
        return end;
      }
      head = parseHead(buf, start, k);
      next = k + 4;
    } else {
      const before = this.partialLength;
      this.keep(buf, start, end, MAX_HEAD_BYTES + (end - start), 'response head');
      const p = this.partial;
      let k = Math.max(0, before - 3);
      const n = this.partialLength;
      while (k + 3 < n && !(p[k] === CR && p[k + 1] === LF && p[k + 2] === CR && p[k + 3] === LF)) k++;
      if (k + 3 >= n) {
        if (n > MAX_HEAD_BYTES) throw new HttpParseError(`response head longer than ${MAX_HEAD_BYTES} bytes`);
        return end;
      }
      head = parseHead(p, 0, k);
      next = start + (k + 4 - before);
      this.partialLength = 0;
    }
    if (head.status >= 100 && head.status < 200) {
      // 101 would switch protocols, which this client never asks for; other 1xx precede the real response.
      if (head.status === 101) throw new HttpParseError('unexpected 101 Switching Protocols');
      return next;
    }
    this.response = { status: head.status, keepAlive: head.keepAlive };
    // GET responses: 204 and 304 have no body whatever their headers say.
    if (head.status === 204 || head.status === 304) this.at = At.Done;
    else if (head.chunked) this.at = At.ChunkSize;
    else if (head.contentLength === 0) this.at = At.Done;
    else if (head.contentLength > 0) {
      this.at = At.Length;
      this.remaining = head.contentLength;
    } else {
      this.at = At.UntilClose;
      this.response.keepAlive = false;
    }
    return next;
  }

  /**
   * Collects one line into `partial` (without its CRLF): returns the index after its LF, or -1 if the line
   * continues in the next read.
   */
  private readLine(buf: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end && buf[i] !== LF) i++;
    this.keep(buf, start, i, MAX_LINE_BYTES, 'line in a chunked body');
    if (i === end) return -1;
    if (this.partialLength > 0 && this.partial[this.partialLength - 1] === CR) this.partialLength--;
    return i + 1;
  }

  /** The chunk size on the line in `partial`: hex digits, optionally followed by `;extensions`. */
  private chunkSize(): number {
    const p = this.partial;
    let n = 0;
    let digits = 0;
    let k = 0;
    for (; k < this.partialLength; k++) {
      const c = p[k] as number;
      const d = c >= 48 && c <= 57 ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1;
      if (d < 0) break;
      n = n * 16 + d;
      digits++;
    }
    while (k < this.partialLength && (p[k] === SP || p[k] === HT)) k++;
    if (digits === 0 || digits > 12 || (k < this.partialLength && p[k] !== 59)) {
      throw new HttpParseError(
        `invalid chunk size: ${JSON.stringify(latin1(p, 0, Math.min(this.partialLength, 40)))}`,
      );
    }
    this.partialLength = 0;
    return n;
  }
}
