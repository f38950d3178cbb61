import { createReadStream } from 'node:fs';

/** A k6 output file that ends in the middle of a record: k6 was killed, crashed or the disk filled up. */
export class K6OutputTruncatedError extends Error {
  constructor(
    readonly path: string,
    readonly bytes: number,
  ) {
    super(
      `k6 output ${path} is cut short: its last line (at byte ${bytes}) ends mid-record. ` +
        'k6 did not finish writing it (killed, crashed or out of disk space); the cell cannot be trusted.',
    );
    this.name = 'K6OutputTruncatedError';
  }
}

/** 1 MiB reads: large enough that per-chunk overhead vanishes, small enough that memory stays flat. */
const CHUNK_BYTES = 1 << 20;
/** k6 rows are a few hundred bytes; a "line" this long means the file is not k6 output, and keeps memory bounded. */
const MAX_LINE_CHARS = 4 << 20;

/**
 * Receives each line as a range of a larger string, text.slice(start, end) without the '\n': a sink that skips
 * most lines can test a prefix in place (text.startsWith(p, start)) and never allocate them. That is what keeps
 * ingest far above its 50 MB/s target: k6 writes 13 rows per request and ingest needs one of them.
 */
export type LineSink = (text: string, start: number, end: number, lineNo: number) => void;

/**
 * Streams a text file line by line, never holding more than one chunk and one partial line.
 * A file that does not end with '\n' ends mid-record: k6 writes whole lines, so that is a truncated file.
 */
export async function readLines(
  path: string,
  onLine: LineSink,
  signal?: AbortSignal,
): Promise<{ bytes: number; lines: number }> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES, signal });
  let carry = '';
  let lineNo = 0;
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = carry === '' ? chunk : carry + chunk;
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      lineNo++;
      // k6 writes '\n'; tolerate '\r\n' from files that passed through other tools.
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onLine(text, start, end, lineNo);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    carry = start === 0 ? text : text.slice(start);
    if (carry.length > MAX_LINE_CHARS) {
      stream.destroy();
      throw new Error(
        `${path} has a line longer than ${MAX_LINE_CHARS} characters after line ${lineNo}: it is not k6 output`,
      );
    }
    bytes = stream.bytesRead;
  }
  if (carry !== '') throw new K6OutputTruncatedError(path, stream.bytesRead);
  return { bytes, lines: lineNo };
}
