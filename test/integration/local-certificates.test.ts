import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  issueLeaf,
  opensslSignsInOneStep,
  spiffeId,
} from '../../src/platforms/local/certificates.js';

const dir = mkdtempSync(join(tmpdir(), 'meshbench-test-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certificates (openssl CLI)', () => {
  it.each([
    ['one step (OpenSSL 3 req -x509 -CA)', true],
    ['two steps (req + x509 -req, older OpenSSL)', false],
  ])(
    '%s: issues an ECDSA P-256 leaf with a SPIFFE URI SAN, signed by the run CA, usable for client and server',
    async (_, oneStep) => {
      const ca = await createCertificateAuthority(join(dir, `ca-${oneStep}`), oneStep);
      const pem = await issueLeaf(
        ca,
        join(dir, 'istio-sidecar'),
        'client-sidecar',
        spiffeId('istio-sidecar', 'client-sidecar'),
      );
      const text = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-text'], { encoding: 'utf8' });
      expect(text).toContain('URI:spiffe://cluster.local/ns/istio-sidecar/sa/client-sidecar');
      expect(text).toMatch(/ASN1 OID: prime256v1/);
      expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
      expect(text).toMatch(/CA:FALSE/);
      expect(execFileSync('openssl', ['verify', '-CAfile', ca.caFile, pem], { encoding: 'utf8' })).toContain(
        ': OK',
      );
      // The PEM carries the private key too (what HAProxy's `crt` expects), readable by the owner only.
      expect(
        execFileSync('openssl', ['pkey', '-in', pem, '-noout', '-text'], { encoding: 'utf8' }),
      ).toContain('prime256v1');
      expect(statSync(pem).mode & 0o077).toBe(0);
      const ca2 = execFileSync('openssl', ['x509', '-in', ca.caFile, '-noout', '-text'], {
        encoding: 'utf8',
      });
      expect(ca2).toMatch(/CA:TRUE/);
    },
  );

  it.each([
    ['OpenSSL 3.0.19', true],
    ['OpenSSL 1.1.1w', false],
    ['LibreSSL 3.3.6', false],
    [null, false],
  ])('opensslSignsInOneStep(%j) = %j', (v, one) => {
    expect(opensslSignsInOneStep(v)).toBe(one);
  });
});
