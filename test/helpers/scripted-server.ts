import { createServer, type Server, type Socket } from 'node:net';
import { afterEach } from 'vitest';

/**
 * Raw TCP servers on 127.0.0.1 that answer each request head with scripted bytes, so that every framing and
 * failure an HTTP/1.1 client must handle can be produced on purpose. Closed after each test.
 */
export interface Scripted {
  url: string;
  /** Connections accepted so far, and those still open. */
  accepted(): number;
  open(): number;
  /** Request heads received, in order. */
  requests: string[];
}

/** Writes the answer to request `n` (0-based, over every connection) on `socket`. */
export type Reply = (socket: Socket, n: number) => void;

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

function closeServer(s: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    s.close(() => resolve());
    (s as Server & { sockets?: Set<Socket> }).sockets?.forEach((c) => c.destroy());
  });
}

/** Stops the most recently started scripted server now (for a refused-connection case). */
export async function closeLastScripted(): Promise<void> {
  const s = servers.pop();
  if (s) await closeServer(s);
}

export async function scripted(reply: Reply): Promise<Scripted> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (d) => {
      pending += d.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) >= 0) {
        requests.push(pending.slice(0, end));
        pending = pending.slice(end + 4);
        reply(socket, requests.length - 1);
      }
    });
  });
  (server as Server & { sockets?: Set<Socket> }).sockets = sockets;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/base`,
    accepted: () => accepted,
    open: () => sockets.size,
    requests,
  };
}

/** A 200 response with a Content-Length body and optional extra header lines (each ending CRLF). */
export const ok = (body: string, extra = ''): string =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
