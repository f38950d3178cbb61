import { createConnection } from 'node:net';

/**
 * Reads an HAProxy runtime API (stats socket): `show stat` for per-frontend/backend/server counters and
 * `show info` for the process (its Pid proves which process a socket belongs to).
 */
export function queryStatsSocket(socketPath: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let out = '';
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no answer on ${socketPath} within ${timeoutMs} ms`));
    });
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (d: Buffer) => (out += d.toString('utf8')));
    socket.on('error', reject);
    // Without `prompt` mode HAProxy answers one command and closes the connection.
    socket.on('close', () => resolve(out));
  });
}

export type StatRow = Record<string, string> & { pxname: string; svname: string };

/** Parses `show stat` CSV: a "# pxname,svname,..." header, then one row per frontend, server and backend. */
export function parseShowStat(text: string): StatRow[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0];
  if (!header?.startsWith('# ')) throw new Error(`not a 'show stat' answer: ${text.slice(0, 80)}`);
  const names = header.slice(2).split(',');
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    const row: Record<string, string> = {};
    names.forEach((n, i) => {
      if (n !== '') row[n] = cells[i] ?? '';
    });
    return row as StatRow;
  });
}

/** Parses `show info` ("Name: value" lines). */
export function parseShowInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const l of text.split('\n')) {
    const i = l.indexOf(':');
    if (i > 0) info[l.slice(0, i).trim()] = l.slice(i + 1).trim();
  }
  return info;
}

/** A counter of a row, 0 when empty (HAProxy leaves counters that do not apply blank). */
export function statNumber(row: StatRow | undefined, field: string): number {
  const v = row?.[field];
  return v === undefined || v === '' ? 0 : Number(v);
}

export async function readShowStat(socketPath: string): Promise<StatRow[]> {
  return parseShowStat(await queryStatsSocket(socketPath, 'show stat'));
}

export async function readPid(socketPath: string): Promise<number> {
  return Number(parseShowInfo(await queryStatsSocket(socketPath, 'show info')).Pid);
}
