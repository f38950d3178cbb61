import { createConnection, createServer, type Server } from 'node:net';

/**
 * Free loopback ports for HAProxy listeners. The kernel picks them (bind to port 0), all at once so they are
 * distinct, and they are released just before HAProxy binds them. Another process could take one in that
 * window; the platform then retries with fresh ports (see isBindFailure).
 */
const handedOut = new Set<number>();

export async function allocatePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    while (ports.length < n) {
      const s = createServer();
      servers.push(s);
      const port = await new Promise<number>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, host, () => resolve((s.address() as { port: number }).port));
      });
      // Skip ports this process already handed out and may not have bound yet.
      if (!handedOut.has(port)) ports.push(port);
    }
    for (const p of ports) handedOut.add(p);
    if (handedOut.size > 4096) handedOut.clear();
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/** Whether something accepts TCP connections on host:port right now. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** HAProxy's message when a bind fails ("cannot bind socket (Address already in use)"). */
export function isBindFailure(output: string): boolean {
  return /cannot bind socket|Address already in use/i.test(output);
}
