import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModeName } from '../../src/modes/mode.js';
import { getMode } from '../../src/modes/registry.js';
import {
  createLocalPlatform,
  type LocalDeployment,
  type LocalPlatform,
} from '../../src/platforms/local/index.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import { createBuiltinEngine } from '../../src/engines/builtin/index.js';

/**
 * mTLS is enforced, not decorative: each listener that terminates mTLS answers a client holding a
 * certificate from the run's CA (control), and refuses one without a certificate, one with a certificate from
 * another CA, and plaintext.
 */
let platform: LocalPlatform;
const deployments = new Map<ModeName, LocalDeployment>();
let foreignDir: string;
let foreignPem: string;

beforeAll(async () => {
  platform = createLocalPlatform({
    engine: createBuiltinEngine(),
    runId: `test-mtls-${process.pid}`,
    spec: DEFAULT_SPEC,
  });
  for (const m of ['istio-sidecar', 'istio-ambient', 'istio-waypoint'] as const)
    deployments.set(m, await platform.up(getMode(m)));
  // A well-formed client certificate that the run's CA did not sign.
  foreignDir = mkdtempSync(join(tmpdir(), 'meshbench-test-foreign-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=intruder',
      '-days',
      '1',
      '-keyout',
      join(foreignDir, 'k.pem'),
      '-out',
      join(foreignDir, 'c.pem'),
    ],
    { stdio: 'ignore' },
  );
  foreignPem =
    readFileSync(join(foreignDir, 'c.pem'), 'utf8') + readFileSync(join(foreignDir, 'k.pem'), 'utf8');
});
afterAll(async () => {
  await platform?.down();
  if (foreignDir) rmSync(foreignDir, { recursive: true, force: true });
});

type Outcome = { status: number } | { error: string };

/** One GET over TLS; the server certificate is verified against the run's CA (it has a URI SAN, no host name). */
function tlsGet(port: number, ca: string, clientPem?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = tlsConnect({
      host: '127.0.0.1',
      port,
      ca,
      ...(clientPem ? { cert: clientPem, key: clientPem } : {}),
      checkServerIdentity: () => undefined,
    });
    collect(s, resolve);
    s.on('secureConnect', () => s.write('GET /?size=2 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
  });
}

function plainGet(port: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port });
    collect(s, resolve);
    s.on('connect', () => s.write('GET /?size=2 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
  });
}

function collect(
  s: NodeJS.ReadableStream & { destroy(): void; setTimeout(ms: number, cb: () => void): void },
  resolve: (o: Outcome) => void,
): void {
  let data = '';
  let err = '';
  s.setTimeout(5000, () => {
    err ||= 'timeout';
    s.destroy();
  });
  s.on('data', (d: Buffer) => (data += d.toString('latin1')));
  s.on('error', (e: Error) => (err ||= e.message));
  s.on('close', () => {
    const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
    resolve(m ? { status: Number(m[1]) } : { error: err || `closed after ${data.length} bytes` });
  });
}

/** The mTLS listeners of a mode: [proxy id, port]. */
function mtlsListeners(d: LocalDeployment): [string, number, string][] {
  const out: [string, number, string][] = [];
  for (const p of d.local.processes.filter((x) => x.kind === 'haproxy')) {
    const cfg = readFileSync(p.configFile as string, 'utf8');
    for (const m of cfg.matchAll(/bind 127\.0\.0\.1:(\d+) ssl crt .* verify required/g))
      out.push([p.id, Number(m[1]), p.certFile as string]);
  }
  return out;
}

describe.each(['istio-sidecar', 'istio-ambient', 'istio-waypoint'] as const)('%s', (mode) => {
  it('every mTLS listener demands a client certificate from the run CA', async () => {
    const d = deployments.get(mode) as LocalDeployment;
    const ca = readFileSync(d.local.caFile as string, 'utf8');
    const listeners = mtlsListeners(d);
    // sidecar: 2 server sidecars; ambient: 2 ztunnel inbounds; waypoint: those plus the waypoint itself.
    expect(listeners.length).toBe(mode === 'istio-waypoint' ? 3 : 2);
    const clientPem = readFileSync(d.local.processes.find((p) => p.certFile)?.certFile as string, 'utf8');
    for (const [id, port] of listeners) {
      expect(await tlsGet(port, ca, clientPem), `${id}:${port} with run cert`).toEqual({ status: 200 });
      // The server's TLS alerts (RFC 8446 §6.2): 116 certificate_required, 48 unknown_ca (40 on TLS 1.2).
      expect(await tlsGet(port, ca), `${id}:${port} without cert`).toEqual({
        error: expect.stringMatching(/certificate required|handshake failure/),
      });
      expect(await tlsGet(port, ca, foreignPem), `${id}:${port} foreign cert`).toEqual({
        error: expect.stringMatching(/unknown ca|handshake failure/),
      });
      expect(await plainGet(port), `${id}:${port} plaintext`).toHaveProperty('error');
    }
  });
});
