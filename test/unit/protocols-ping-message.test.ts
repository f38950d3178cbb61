import { describe, expect, it } from 'vitest';
import { decodePing, encodePing, grpcFrame, type PingMessage } from '../../src/protocols/ping-message.js';

/** Expected bytes worked out by hand from protobuf's wire format (tag = field << 3 | wire type; varints LSB first). */
describe('PingMessage (fortio fgrpc.PingMessage wire format)', () => {
  const cases: [string, PingMessage, string][] = [
    ['empty: every field default', { seq: 0, ts: 0, payload: '', delayNanos: 0 }, ''],
    ['small fields', { seq: 1, ts: 2, payload: 'abc', delayNanos: 0 }, '08 01 10 02 1a 03 61 62 63'],
    ['multi-byte varint (300 = ac 02)', { seq: 300, ts: 0, payload: '', delayNanos: 5 }, '08 ac 02 20 05'],
    [
      'negative int64 as ten bytes of two’s complement',
      { seq: -1, ts: 0, payload: '', delayNanos: 0 },
      '08 ff ff ff ff ff ff ff ff ff 01',
    ],
  ];
  it.each(cases)('%s', (_name, m, hex) => {
    const bytes = encodePing(m);
    expect(bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ')).toBe(hex);
    expect(decodePing(bytes)).toEqual(m);
  });

  it('a payload of 200 bytes has a two-byte length (c8 01)', () => {
    const b = encodePing({ seq: 0, ts: 0, payload: 'x'.repeat(200), delayNanos: 0 });
    expect([...b.subarray(0, 3)]).toEqual([0x1a, 0xc8, 0x01]);
    expect(b.length).toBe(203);
  });

  it('skips unknown fields and refuses truncated ones', () => {
    // field 9 varint 7, then seq 1
    expect(decodePing(Buffer.from([0x48, 0x07, 0x08, 0x01])).seq).toBe(1);
    expect(() => decodePing(Buffer.from([0x1a, 0x05, 0x61]))).toThrow(RangeError);
    expect(() => decodePing(Buffer.from([0x08, 0x80]))).toThrow(RangeError);
  });

  it('frames a message as gRPC does: flag 0, 4-byte big-endian length', () => {
    expect([...grpcFrame(Buffer.from([1, 2, 3]))]).toEqual([0, 0, 0, 0, 3, 1, 2, 3]);
  });
});
