/**
 * meshbench's own app server as a bench target, started exactly as the local platform starts it (the same
 * command and flags), on 127.0.0.1, killed by stop() and by the bench's cleanup on error or Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { appServerCommand, protocolAppCommand } from '../../src/platforms/local/app-server-command.js';
import { killTree, onCleanup, removeDirSync } from './cleanup.js';

export interface AppTarget {
  url: string;
  implementation: 'native' | 'node';
  stop(): void;
}

export async function startApp(delayMs: number, prefer: 'auto' | 'node' = 'auto'): Promise<AppTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-bench-app-'));
  const undoDir = onCleanup(() => removeDirSync(dir));
  const cmd = await appServerCommand(dir, prefer);
  const proc = spawn(cmd.command, [...cmd.args, '--port', '0', '--delay-ms', String(delayMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const undoProc = onCleanup(() => killTree(proc.pid, false));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('app server did not start within 10 s')), 10_000);
    proc.once('exit', (c) => reject(new Error(`app server exited with ${c}`)));
    createInterface({ input: proc.stdout }).on('line', (l) => {
      const m = JSON.parse(l) as { event?: string; port?: number };
      if (m.event === 'listening' && m.port) {
        clearTimeout(timer);
        resolve(m.port);
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    implementation: cmd.implementation,
    stop() {
      undoProc();
      undoDir();
    },
  };
}

export interface ProtocolAppTarget {
  /** Base URLs of its h2c and gRPC listeners. */
  h2cUrl: string;
  grpcUrl: string;
  stop(): void;
}

/** meshbench's h2c and gRPC app (src/platforms/local/protocol-app.ts), started as the local platform starts it. */
export async function startProtocolApp(delayMs: number): Promise<ProtocolAppTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-bench-protocol-app-'));
  const undoDir = onCleanup(() => removeDirSync(dir));
  const cmd = await protocolAppCommand(dir);
  const proc = spawn(cmd.command, [...cmd.args, '--delay-ms', String(delayMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const undoProc = onCleanup(() => killTree(proc.pid, false));
  const ports = await new Promise<{ h2cPort: number; grpcPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('protocol app did not start within 10 s')), 10_000);
    proc.once('exit', (c) => reject(new Error(`protocol app exited with ${c}`)));
    createInterface({ input: proc.stdout }).on('line', (l) => {
      const m = JSON.parse(l) as { event?: string; h2cPort?: number; grpcPort?: number };
      if (m.event === 'listening' && m.h2cPort && m.grpcPort) {
        clearTimeout(timer);
        resolve({ h2cPort: m.h2cPort, grpcPort: m.grpcPort });
      }
    });
  });
  return {
    h2cUrl: `http://127.0.0.1:${ports.h2cPort}/`,
    grpcUrl: `http://127.0.0.1:${ports.grpcPort}/`,
    stop() {
      undoProc();
      undoDir();
    },
  };
}
