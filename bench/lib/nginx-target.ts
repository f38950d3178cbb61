/**
 * A local HTTP target that is not the bottleneck: Debian's nginx, one process (master_process off), bound to
 * 127.0.0.1 on a free port, answering every GET with a fixed body and no access log. It runs as a child of the
 * bench with its config, pid, logs and temp paths in a temp dir of its own; stop() (and the process-wide
 * cleanup, on error and Ctrl-C too) kills it and removes the dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killTree, onCleanup, removeDirSync } from './cleanup.js';
import { readProcCpuSeconds } from './proc-cpu.js';

export const NGINX_BIN = '/usr/sbin/nginx';

export interface NginxTarget {
  url: string;
  port: number;
  pid: number;
  payloadBytes: number;
  /** User + system CPU seconds nginx has used so far (from /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A port the kernel has just handed out as free; nginx binds it right after. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** The config: everything nginx writes goes under `dir`, so nothing outside it is touched. */
export function nginxConfig(dir: string, port: number, body: string): string {
  return `daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / { default_type text/plain; return 200 "${body}"; }
  }
}
`;
}

async function waitReady(url: string, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`nginx exited (${proc.exitCode ?? proc.signalCode})`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(500) });
      await r.arrayBuffer();
      if (r.status === 200) return;
      last = new Error(`status ${r.status}`);
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not answer at ${url} within ${timeoutMs} ms: ${String(last)}`);
}

/** Starts nginx answering `payloadBytes` of 'x' (1 KiB by default, the medium/high tiers' payload). */
export async function startNginx(payloadBytes = 1024): Promise<NginxTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-bench-nginx-'));
  const removeDir = onCleanup(() => removeDirSync(dir));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig(dir, port, 'x'.repeat(payloadBytes)));
  // -e: the error log nginx opens before it has read the config (otherwise /var/log/nginx/error.log).
  const proc = spawn(NGINX_BIN, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const kill = onCleanup(() => killTree(proc.pid, false));
  const url = `http://127.0.0.1:${port}/`;
  try {
    if (proc.pid === undefined) throw new Error('nginx did not start');
    await waitReady(url, proc, 5000);
  } catch (e) {
    const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
    kill();
    removeDir();
    throw new Error(`starting nginx failed: ${(e as Error).message}\n${stderr}${log}`);
  }
  const pid = proc.pid;
  return {
    url,
    port,
    pid,
    payloadBytes,
    cpuSeconds: () => readProcCpuSeconds(pid),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM'); // nginx: fast shutdown
        const t = setTimeout(() => killTree(pid, false), 2000);
        await exited;
        clearTimeout(t);
      }
      kill();
      removeDir();
    },
  };
}
