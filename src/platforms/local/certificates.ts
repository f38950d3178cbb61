import { execFile } from 'node:child_process';
import { generateKeyPair, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Per-run certificates for the emulated mTLS hops, made with the openssl CLI (nothing downloaded): one CA
 * per run, and a leaf per proxy with a SPIFFE-style URI SAN, as Istio issues them (ECDSA P-256, Istio's
 * default key type; 2 days' validity, since a run lasts hours at most). Keys come from node:crypto, which
 * saves one openssl process per certificate.
 */
export interface CertificateAuthority {
  caFile: string;
  keyFile: string;
  /** OpenSSL >= 3 signs a leaf in one `req -x509 -CA` call; older versions (and LibreSSL) need req + x509. */
  oneStep: boolean;
}

const DAYS = '2';

/** Our own minimal config, so that the result does not depend on the system's openssl.cnf. */
function opensslConfig(extensions: string): string {
  return `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nO = meshbench\n[ext]\n${extensions}`;
}

const CA_EXTENSIONS = [
  'basicConstraints = critical,CA:TRUE',
  'keyUsage = critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier = hash',
  '',
].join('\n');

export function spiffeId(namespace: string, serviceAccount: string): string {
  return `spiffe://cluster.local/ns/${namespace}/sa/${serviceAccount}`;
}

/** The leaf extensions: usable both as TLS server and TLS client (mutual TLS), identity in the URI SAN. */
export function leafExtensions(uri: string): string {
  return [
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = serverAuth,clientAuth',
    `subjectAltName = URI:${uri}`,
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    '',
  ].join('\n');
}

/** `opensslVersion()` text ("OpenSSL 3.0.19") -> whether `req -x509 -CA` exists (added in OpenSSL 3.0). */
export function opensslSignsInOneStep(version: string | null): boolean {
  const m = /^OpenSSL (\d+)\./.exec(version ?? '');
  return m !== null && Number(m[1]) >= 3;
}

export async function createCertificateAuthority(
  dir: string,
  oneStep: boolean,
): Promise<CertificateAuthority> {
  await mkdir(dir, { recursive: true });
  const ca: CertificateAuthority = { caFile: join(dir, 'ca.pem'), keyFile: join(dir, 'ca.key'), oneStep };
  const cnf = join(dir, 'ca.cnf');
  await Promise.all([writeKey(ca.keyFile), writeFile(cnf, opensslConfig(CA_EXTENSIONS))]);
  await openssl([
    'req',
    '-x509',
    '-new',
    '-config',
    cnf,
    '-extensions',
    'ext',
    '-key',
    ca.keyFile,
    '-subj',
    '/O=meshbench/CN=meshbench run CA',
    '-days',
    DAYS,
    '-out',
    ca.caFile,
  ]);
  await rm(cnf, { force: true });
  return ca;
}

/**
 * Issues a leaf for `name` and writes certificate + key into one PEM (`<dir>/<name>.pem`, what HAProxy's `crt`
 * takes), readable by the owner only. Returns its path.
 */
export async function issueLeaf(
  ca: CertificateAuthority,
  dir: string,
  name: string,
  uri: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, name);
  const [key, cnf, csr, crt, pem] = ['.key', '.cnf', '.csr', '.crt', '.pem'].map((s) => base + s) as [
    string,
    string,
    string,
    string,
    string,
  ];
  await Promise.all([writeKey(key), writeFile(cnf, opensslConfig(leafExtensions(uri)))]);
  const subject = `/O=meshbench/CN=${name}`;
  // A random serial per leaf: no shared serial file, so leaves can be issued concurrently.
  const serial = `0x${randomBytes(12).toString('hex')}`;
  const signing = ['-CA', ca.caFile, '-CAkey', ca.keyFile, '-set_serial', serial, '-days', DAYS, '-out', crt];
  if (ca.oneStep) {
    await openssl([
      'req',
      '-new',
      '-x509',
      '-config',
      cnf,
      '-extensions',
      'ext',
      '-key',
      key,
      '-subj',
      subject,
      ...signing,
    ]);
  } else {
    await openssl(['req', '-new', '-config', cnf, '-key', key, '-subj', subject, '-out', csr]);
    await openssl(['x509', '-req', '-in', csr, '-extfile', cnf, '-extensions', 'ext', ...signing]);
  }
  await writeFile(pem, (await readFile(crt, 'utf8')) + (await readFile(key, 'utf8')), { mode: 0o600 });
  await Promise.all([key, cnf, csr, crt].map((f) => rm(f, { force: true })));
  return pem;
}

async function writeKey(file: string): Promise<void> {
  const { privateKey } = await promisify(generateKeyPair)('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await writeFile(file, privateKey, { mode: 0o600 });
}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: 30_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`openssl ${args[0]} failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}
