/**
 * How a tier's keep-alive connections are spread over a target's endpoints. Kubernetes' kube-proxy balances
 * per connection, not per request: each connection is bound to one endpoint for its life. Connection s goes to
 * endpoint s mod E, and requests go round-robin over connections, so each endpoint receives load in proportion
 * to its connections. With fewer connections than endpoints, the surplus endpoints get none (as with kube-proxy).
 */
export interface PoolPlan {
  endpoint: string;
  connections: number;
}

export function splitConnections(endpoints: readonly string[], connections: number): PoolPlan[] {
  if (endpoints.length === 0) throw new RangeError('a target needs at least one endpoint');
  if (!Number.isInteger(connections) || connections < 1)
    throw new RangeError(`connections must be a positive integer, got ${connections}`);
  const used = Math.min(endpoints.length, connections);
  const plans: PoolPlan[] = [];
  for (let k = 0; k < used; k++) {
    // Connections s in [0, connections) with s mod used === k.
    const n = Math.floor(connections / used) + (k < connections % used ? 1 : 0);
    plans.push({ endpoint: endpoints[k] as string, connections: n });
  }
  return plans;
}

/** The pool (index into splitConnections' result) that request `j` uses: connection j mod C, bound to pool (j mod C) mod P. */
export function poolForRequest(j: number, connections: number, pools: number): number {
  return (j % connections) % pools;
}
