import { readFileSync } from 'node:fs';
import { connect as h2Connect } from 'node:http2';
import { connect as tlsConnect } from 'node:tls';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModeDefinition } from '../../src/modes/mode.js';
import { getMode } from '../../src/modes/registry.js';
import {
  createLocalPlatform,
  type LocalDeployment,
  type LocalPlatform,
} from '../../src/platforms/local/index.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import { createBuiltinEngine } from '../../src/engines/builtin/index.js';

/**
 * `topology.sidecar.between: 'h2'` for real: the server sidecars offer HTTP/2 by ALPN on their mTLS listener
 * and answer HTTP/2 requests; the client still speaks HTTP/1.1 to its own sidecar, end to end.
 */
const h2Mode: ModeDefinition = {
  ...getMode('istio-sidecar'),
  topology: { sidecar: { layer: 'l7', mtls: true, between: 'h2' } },
};
let platform: LocalPlatform;
let d: LocalDeployment;

beforeAll(async () => {
  platform = createLocalPlatform({
    engine: createBuiltinEngine(),
    runId: `test-h2-${process.pid}`,
    spec: DEFAULT_SPEC,
  });
  d = await platform.up(h2Mode);
});
afterAll(async () => {
  await platform?.down();
});

function serverInbound(): { port: number } {
  const p = d.local.processes.find((x) => x.id === 'server-sidecar-1');
  const cfg = readFileSync(p?.configFile as string, 'utf8');
  const m = /bind 127\.0\.0\.1:(\d+) ssl .* alpn h2/.exec(cfg);
  if (!m) throw new Error(`no h2 listener in:\n${cfg}`);
  return { port: Number(m[1]) };
}

describe('sidecars speaking HTTP/2 to each other', () => {
  it('the server sidecar negotiates h2 by ALPN with a run certificate, and answers an HTTP/2 request', async () => {
    const ca = readFileSync(d.local.caFile as string, 'utf8');
    const pem = readFileSync(
      d.local.processes.find((p) => p.id === 'client-sidecar')?.certFile as string,
      'utf8',
    );
    const { port } = serverInbound();
    const alpn = await new Promise<string | false>((resolve, reject) => {
      const s = tlsConnect({
        host: '127.0.0.1',
        port,
        ca,
        cert: pem,
        key: pem,
        ALPNProtocols: ['h2', 'http/1.1'],
        checkServerIdentity: () => undefined,
      });
      s.on('secureConnect', () => {
        resolve(s.alpnProtocol ?? false);
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(alpn).toBe('h2');

    const session = h2Connect(`https://127.0.0.1:${port}`, {
      ca,
      cert: pem,
      key: pem,
      checkServerIdentity: () => undefined,
    });
    try {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = session.request({ ':path': '/?size=3' });
        let status = 0;
        let body = '';
        req.on('response', (h) => (status = Number(h[':status'])));
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => resolve({ status, body }));
        req.on('error', reject);
        req.end();
      });
      expect([status, body]).toEqual([200, 'xxx']);
    } finally {
      session.close();
    }
  });

  it('requests from an HTTP/1.1 client cross both sidecars', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await request(`${d.target.endpoints[0]}/?size=5`);
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('xxxxx');
    }
    expect(d.topology.path).toContain('mTLS (h2)');
  });
});
