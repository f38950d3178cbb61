import { describe, expect, it } from 'vitest';
import { poolForRequest, splitConnections } from '../../src/engines/builtin/connection-plan.js';

describe('splitConnections', () => {
  it.each([
    { endpoints: ['a'], connections: 16, want: [16] },
    { endpoints: ['a', 'b'], connections: 16, want: [8, 8] },
    { endpoints: ['a', 'b', 'c'], connections: 16, want: [6, 5, 5] },
    { endpoints: ['a', 'b', 'c'], connections: 2, want: [1, 1] }, // c gets no connection, as with kube-proxy
    { endpoints: ['a', 'b'], connections: 1, want: [1] },
  ])('$connections connections over $endpoints', ({ endpoints, connections, want }) => {
    const plan = splitConnections(endpoints, connections);
    expect(plan.map((p) => p.connections)).toEqual(want);
    expect(plan.map((p) => p.endpoint)).toEqual(endpoints.slice(0, want.length));
    expect(plan.reduce((s, p) => s + p.connections, 0)).toBe(connections);
  });

  it('rejects no endpoints or no connections', () => {
    expect(() => splitConnections([], 4)).toThrow(RangeError);
    expect(() => splitConnections(['a'], 0)).toThrow(RangeError);
  });
});

describe('poolForRequest', () => {
  it('sends each pool a share of requests proportional to its connections', () => {
    for (const [endpoints, connections] of [
      [3, 16],
      [2, 7],
      [4, 4],
      [5, 3],
    ] as const) {
      const plan = splitConnections(
        Array.from({ length: endpoints }, (_, i) => `e${i}`),
        connections,
      );
      const counts = new Array<number>(plan.length).fill(0);
      const requests = connections * 100;
      for (let j = 0; j < requests; j++) {
        const k = poolForRequest(j, connections, plan.length);
        counts[k] = (counts[k] ?? 0) + 1;
      }
      expect(counts).toEqual(plan.map((p) => p.connections * 100));
    }
  });
});
