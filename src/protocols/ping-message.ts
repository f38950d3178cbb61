/**
 * The gRPC service a `grpc` tier calls: unary `Ping` of the PingServer in package `fgrpc`, wire-compatible with
 * fortio's ping service (fortio fgrpc/ping.proto: message PingMessage { int64 seq = 1; int64 ts = 2;
 * string payload = 3; int64 delayNanos = 4; }), so the same calls reach fortio's gRPC server on Kubernetes.
 * The server echoes the message, so a tier's payload travels both ways (unlike an HTTP GET, whose request is
 * small). The four fields are encoded here by hand: protobuf's wire format for varints and one
 * length-delimited field is a few lines, and the engine encodes one request per tier, not per call.
 */
export const PING_SERVICE = 'fgrpc.PingServer';
export const PING_METHOD_PATH = `/${PING_SERVICE}/Ping`;

const identity = (b: Buffer): Buffer => b;

/**
 * The unary Ping method as @grpc/grpc-js describes it (plain data, no import of the library), for the local app's
 * server and for tests' grpc-js clients. Messages stay bytes: encodePing/decodePing do the encoding, so the app can
 * echo the request message itself, as fortio's ping server does.
 */
export const PING_GRPC_SERVICE = {
  Ping: {
    path: PING_METHOD_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
} as const;

export interface PingMessage {
  seq: number;
  /** Source send time / destination receive time, nanoseconds (fortio's meaning); 0 when unused. */
  ts: number;
  payload: string;
  delayNanos: number;
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

function varint(n: bigint, out: number[]): void {
  // int64 on the wire: negative values as their 64-bit two's complement.
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

/** Protobuf encoding of a PingMessage; fields equal to 0 or '' are left out, as proto3 does. */
export function encodePing(m: PingMessage): Buffer {
  const head: number[] = [];
  if (m.seq !== 0) {
    head.push((1 << 3) | WIRE_VARINT);
    varint(BigInt(m.seq), head);
  }
  if (m.ts !== 0) {
    head.push((2 << 3) | WIRE_VARINT);
    varint(BigInt(m.ts), head);
  }
  const payload = Buffer.from(m.payload, 'utf8');
  const tail: number[] = [];
  if (m.delayNanos !== 0) {
    tail.push((4 << 3) | WIRE_VARINT);
    varint(BigInt(m.delayNanos), tail);
  }
  if (payload.length === 0) return Buffer.from([...head, ...tail]);
  const len: number[] = [(3 << 3) | WIRE_LEN];
  varint(BigInt(payload.length), len);
  return Buffer.concat([Buffer.from(head), Buffer.from(len), payload, Buffer.from(tail)]);
}

function readVarint(b: Buffer, at: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < b.length && shift < 70n; i++) {
    const byte = b[i] as number;
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new RangeError('PingMessage: truncated varint');
}

/** Decodes a PingMessage; unknown fields are skipped (proto3), a damaged message throws a RangeError. */
export function decodePing(b: Buffer): PingMessage {
  const m: PingMessage = { seq: 0, ts: 0, payload: '', delayNanos: 0 };
  let at = 0;
  while (at < b.length) {
    const key = readVarint(b, at);
    at = key.next;
    const field = Number(key.value >> 3n);
    const wire = Number(key.value & 7n);
    if (wire === WIRE_VARINT) {
      const v = readVarint(b, at);
      at = v.next;
      const n = Number(BigInt.asIntN(64, v.value));
      if (field === 1) m.seq = n;
      else if (field === 2) m.ts = n;
      else if (field === 4) m.delayNanos = n;
    } else if (wire === WIRE_LEN) {
      const len = readVarint(b, at);
      const end = len.next + Number(len.value);
      if (end > b.length) throw new RangeError('PingMessage: truncated field');
      if (field === 3) m.payload = b.toString('utf8', len.next, end);
      at = end;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new RangeError(`PingMessage: unsupported wire type ${wire}`);
  }
  if (at > b.length) throw new RangeError('PingMessage: truncated field');
  return m;
}

/** gRPC's length-prefixed message (gRPC over HTTP/2: 1-byte compressed flag, 4-byte big-endian length). */
export function grpcFrame(message: Buffer): Buffer {
  const head = Buffer.allocUnsafe(5);
  head[0] = 0;
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}
