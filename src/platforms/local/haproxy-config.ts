import type { Target } from '../../engines/engine.js';
import type { TierProtocol } from '../../spec/schema.js';
import type { PlannedHop, TopologyPlan } from './topology-plan.js';

/**
 * Turns a mode's topology plan plus concrete ports and certificate paths into one HAProxy configuration per
 * proxy process. Pure (data in, text out), so every mode's wiring is unit-tested without starting anything.
 */
export interface UpstreamServer {
  name: string;
  port: number;
  /** Originate mutual TLS: present `certFile`, verify the server against `caFile`. */
  tls?: { certFile: string; caFile: string };
  /** Speak HTTP/2 to it (negotiated by ALPN over TLS), whatever the downstream spoke. */
  h2?: boolean;
}

export interface ListenerConfig {
  name: string;
  mode: 'http' | 'tcp';
  port: number;
  /** Terminate mutual TLS: present `certFile`, require a client certificate signed by `caFile`. */
  tls?: { certFile: string; caFile: string };
  /** Accept HTTP/2 (offered by ALPN over TLS). */
  h2?: boolean;
  /**
   * Speak HTTP/2 whatever ALPN says (an h2c or gRPC lane): the peer may be an L4 hop that passes the client's
   * HTTP/2 bytes through TLS without ALPN.
   */
  h2Only?: boolean;
  /** Balanced round-robin: per request in http mode, per connection in tcp mode. */
  upstreams: UpstreamServer[];
}

export interface HaproxyProcessConfig {
  proxyId: string;
  threads: number;
  statsSocket: string;
  timeouts: HaproxyTimeouts;
  listeners: ListenerConfig[];
}

export interface HaproxyTimeouts {
  connectMs: number;
  /** Client and server inactivity; must outlast the app's delay plus the engine's own request timeout. */
  idleMs: number;
  keepAliveMs: number;
}

/**
 * A protocol carried beside HTTP/1.1 on listeners of its own (`<listener>-h2c`, `<listener>-grpc`), to the
 * port the app serves it on: L7 hops speak HTTP/2 on both sides (as Envoy does for HTTP/2 and gRPC), L4 hops
 * pass the bytes.
 */
export type LaneProtocol = Exclude<TierProtocol, 'http/1.1'>;

export interface Lane {
  protocol: LaneProtocol;
  /** Port of each server pod's app for this protocol. */
  appPorts: ReadonlyMap<string, number>;
}

export const laneListener = (listener: string, protocol: LaneProtocol | undefined): string =>
  protocol ? `${listener}-${protocol}` : listener;

export interface WiringInputs {
  /** Port of each listener, keyed by listenerKey(proxyId, listener). */
  listenerPorts: ReadonlyMap<string, number>;
  /** Port of each server pod's HTTP/1.1 app. */
  appPorts: ReadonlyMap<string, number>;
  /** Protocols carried beside HTTP/1.1; absent: HTTP/1.1 only. */
  lanes?: readonly Lane[];
  /** Needed when any hop is mTLS: the CA, and each proxy's certificate+key PEM. */
  tls?: { caFile: string; certFiles: ReadonlyMap<string, string> };
  statsSockets: ReadonlyMap<string, string>;
  threads: number;
  timeouts: HaproxyTimeouts;
}

export interface Wiring {
  proxies: HaproxyProcessConfig[];
  /** The HTTP/1.1 target. */
  target: Target;
  /** The target of each protocol: HTTP/1.1 and every lane. */
  targets: Partial<Record<TierProtocol, Target>>;
}

export const LOOPBACK = '127.0.0.1';
export const listenerKey = (proxyId: string, listener: string): string => `${proxyId}/${listener}`;

/** Every listener a plan needs a port for, in a stable order: HTTP/1.1's, then each lane's. */
export function listenerKeys(plan: TopologyPlan, lanes: readonly LaneProtocol[] = []): string[] {
  return [undefined, ...lanes].flatMap((lane) =>
    allHops(plan).map((h) => listenerKey(h.proxyId, laneListener(h.listener, lane))),
  );
}

export function wireTopology(plan: TopologyPlan, w: WiringInputs): Wiring {
  const listeners = new Map<string, ListenerConfig[]>();
  const target = wireLane(plan, w, undefined, w.appPorts, listeners);
  const targets: Partial<Record<TierProtocol, Target>> = { 'http/1.1': target };
  for (const lane of w.lanes ?? [])
    targets[lane.protocol] = wireLane(plan, w, lane.protocol, lane.appPorts, listeners);
  const proxies = plan.proxies.map((p) => ({
    proxyId: p.id,
    threads: w.threads,
    statsSocket: required(w.statsSockets.get(p.id), `stats socket of ${p.id}`),
    timeouts: w.timeouts,
    listeners: required(listeners.get(p.id), `listeners of ${p.id}`),
  }));
  return { proxies, target, targets };
}

/** One protocol's listeners (added to `listeners`, per proxy) and the target the engine connects to. */
function wireLane(
  plan: TopologyPlan,
  w: WiringInputs,
  lane: LaneProtocol | undefined,
  appPorts: ReadonlyMap<string, number>,
  listeners: Map<string, ListenerConfig[]>,
): Target {
  const servers = plan.pods.filter((p) => p.role === 'server').map((p) => p.name);
  const nameOf = (h: PlannedHop): string => laneListener(h.listener, lane);
  const portOf = (h: PlannedHop): number =>
    required(w.listenerPorts.get(listenerKey(h.proxyId, nameOf(h))), `port of ${h.proxyId} ${nameOf(h)}`);
  const appPort = (pod: string): number =>
    required(appPorts.get(pod), `${lane ?? 'http/1.1'} app port of ${pod}`);
  const certOf = (proxyId: string): { certFile: string; caFile: string } => {
    if (!w.tls) throw new Error(`${plan.mode.name}: mTLS hop at ${proxyId} but no certificates were given`);
    return {
      certFile: required(w.tls.certFiles.get(proxyId), `certificate of ${proxyId}`),
      caFile: w.tls.caFile,
    };
  };
  /**
   * The upstream a hop (run by `from`) connects to: the next hop's listener, with TLS if that listener demands
   * it. In an h2c or gRPC lane an L7 hop speaks HTTP/2 upstream whatever comes next: an L4 hop in between
   * passes the bytes to an app that speaks HTTP/2 only.
   */
  const upstreamTo = (from: PlannedHop, next: PlannedHop | undefined, name: string): UpstreamServer => {
    const h2 = lane ? from.mode === 'http' : next?.h2 === true;
    return next
      ? {
          name,
          port: portOf(next),
          ...(next.mtls ? { tls: certOf(from.proxyId) } : {}),
          ...(h2 ? { h2: true } : {}),
        }
      : { name, port: appPort(name), ...(h2 ? { h2: true } : {}) };
  };

  const add = (hop: PlannedHop, upstreams: UpstreamServer[]): void => {
    const list = listeners.get(hop.proxyId) ?? [];
    const h2Only = lane !== undefined && hop.mode === 'http';
    list.push({
      name: nameOf(hop),
      mode: hop.mode,
      port: portOf(hop),
      ...(hop.mtls ? { tls: certOf(hop.proxyId) } : {}),
      ...(hop.h2 || h2Only ? { h2: true } : {}),
      ...(h2Only ? { h2Only: true } : {}),
      upstreams,
    });
    listeners.set(hop.proxyId, list);
  };

  plan.sharedHops.forEach((hop, i) => {
    const next = plan.sharedHops[i + 1];
    // The last shared hop picks the destination pod: it balances over each pod's first own hop (or its app).
    const ups = next
      ? [upstreamTo(hop, next, next.proxyId)]
      : servers.map((pod) => upstreamTo(hop, plan.podHops.get(pod)?.[0], pod));
    add(hop, ups);
  });
  for (const pod of servers) {
    const hops = plan.podHops.get(pod) ?? [];
    hops.forEach((hop, i) => add(hop, [upstreamTo(hop, hops[i + 1], pod)]));
  }

  const first = plan.sharedHops[0];
  const endpoints = first
    ? [url(portOf(first))]
    : servers.map((pod) => {
        const hop = plan.podHops.get(pod)?.[0];
        return url(hop ? portOf(hop) : appPort(pod));
      });
  return { endpoints, protocol: lane ?? 'http/1.1' };
}

/** haproxy.cfg text for one proxy process. No `log` lines: nothing is written to disk while measuring. */
export function renderHaproxyConfig(c: HaproxyProcessConfig): string {
  const t = c.timeouts;
  const lines = [
    `# meshbench: ${c.proxyId}; generated for one run, removed with it`,
    'global',
    `    nbthread ${c.threads}`,
    // Operator level is enough for `show stat` / `show info`; the socket lives in the run directory.
    `    stats socket ${c.statsSocket} mode 600 level operator`,
    '    ssl-default-bind-options ssl-min-ver TLSv1.2',
    '    ssl-default-server-options ssl-min-ver TLSv1.2',
    '',
    'defaults',
    `    timeout connect ${t.connectMs}ms`,
    `    timeout client ${t.idleMs}ms`,
    `    timeout server ${t.idleMs}ms`,
    `    timeout http-request ${t.idleMs}ms`,
    `    timeout http-keep-alive ${t.keepAliveMs}ms`,
  ];
  for (const l of c.listeners) {
    const bindTls = l.tls ? ` ssl crt ${l.tls.certFile} ca-file ${l.tls.caFile} verify required` : '';
    // Over TLS, HTTP/2 is offered by ALPN; in clear text the listener is told to expect it, and so is an h2c
    // or gRPC lane's listener over TLS, whose peer may be an L4 hop that offers no ALPN.
    const bindH2 = l.h2 ? (l.tls ? (l.h2Only ? ' alpn h2 proto h2' : ' alpn h2') : ' proto h2') : '';
    lines.push(
      '',
      `frontend ${l.name}`,
      `    mode ${l.mode}`,
      `    bind ${LOOPBACK}:${l.port}${bindTls}${bindH2}`,
    );
    if (l.mode === 'http') lines.push('    option http-keep-alive');
    lines.push(
      `    default_backend ${l.name}-upstream`,
      '',
      `backend ${l.name}-upstream`,
      `    mode ${l.mode}`,
      '    balance roundrobin',
    );
    // Envoy pools upstream connections and reuses them across downstream connections; `always` is the closest.
    if (l.mode === 'http') lines.push('    http-reuse always', '    option http-keep-alive');
    for (const s of l.upstreams) {
      const tls = s.tls ? ` ssl crt ${s.tls.certFile} ca-file ${s.tls.caFile} verify required` : '';
      // HTTP/2 to the next proxy: asked for by ALPN over TLS, and used whatever ALPN settles on.
      const h2 = s.h2 ? `${s.tls ? ' alpn h2' : ''} proto h2` : '';
      lines.push(`    server ${s.name} ${LOOPBACK}:${s.port}${tls}${h2}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function allHops(plan: TopologyPlan): PlannedHop[] {
  return [...plan.sharedHops, ...[...plan.podHops.values()].flat()];
}

function url(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`haproxy wiring: missing ${what}`);
  return v;
}
