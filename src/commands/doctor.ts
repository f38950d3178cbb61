import type { Command } from 'commander';
import { findK6, K6_INSTALL_HINT } from '../engines/k6/index.js';
import { haproxyVersion, opensslVersion } from '../platforms/local/index.js';
import type { CommandIO } from './io.js';
import { returning, type Outcome } from './outcome.js';
import { ExitCode } from '../exit-codes.js';
import { NATIVE_BUILD_FIX, NATIVE_PARTS, nativeStatus, type NativePart } from '../runtime/native-binary.js';
import { addSpecOptions, resolveSpecFromFlags, type SpecFlags } from './spec-options.js';

export interface Check {
  name: string;
  ok: boolean;
  /** Required for the platform asked about; optional checks only warn. */
  required: boolean;
  detail: string;
  fix?: string;
}

async function localChecks(haproxyBin: string, k6Path?: string): Promise<Check[]> {
  const [major] = process.versions.node.split('.').map(Number);
  const hv = await haproxyVersion(haproxyBin);
  const ov = await opensslVersion();
  const k6 = await findK6(k6Path);
  return [
    {
      name: 'node',
      ok: (major ?? 0) >= 20,
      required: true,
      detail: `Node.js ${process.version}`,
      fix: 'install Node.js 20 or newer',
    },
    {
      name: 'haproxy',
      ok: hv !== null,
      required: true,
      detail: hv
        ? `HAProxy ${hv} (${haproxyBin}): the proxy every local mode emulates its data plane with`
        : `${haproxyBin} not found`,
      fix: 'Debian/Ubuntu: sudo apt-get install -y haproxy; macOS: brew install haproxy; or set local.haproxy in the spec',
    },
    {
      name: 'openssl',
      ok: ov !== null,
      required: true,
      detail: ov ? `${ov}: generates the run's CA and mTLS certificates` : 'openssl not found',
      fix: 'Debian/Ubuntu: sudo apt-get install -y openssl; macOS: brew install openssl',
    },
    ...(Object.keys(NATIVE_PARTS) as NativePart[]).map((part): Check => {
      const st = nativeStatus(part);
      return {
        name: part,
        ok: st.path !== undefined,
        required: false,
        detail: st.path
          ? `${NATIVE_PARTS[part]}: built (${st.path})`
          : `${NATIVE_PARTS[part]}: ${st.problem}; the JavaScript fallback runs instead (slower, noisier figures)`,
        fix: NATIVE_BUILD_FIX,
      };
    }),
    {
      name: 'k6',
      ok: k6 !== null,
      required: false,
      detail: k6
        ? `${k6.version} (${k6.path}): engine auto will use it`
        : 'not found: engine auto falls back to the builtin engine',
      fix: K6_INSTALL_HINT,
    },
  ];
}

/** Cluster preflight: API, permissions, each mode's control plane, metrics source. Creates nothing. */
async function kubernetesChecks(
  specPath: string | undefined,
  flags: SpecFlags & { context?: string },
): Promise<Check[]> {
  const spec = await resolveSpecFromFlags(specPath, { ...flags, platform: 'kubernetes' });
  const settings = { ...spec.kubernetes, ...(flags.context ? { context: flags.context } : {}) };
  const { kubernetesPreflight } = await import('../platforms/kubernetes/index.js');
  const checks = await kubernetesPreflight({ spec, settings });
  return checks.map((c) => ({
    name: c.check,
    ok: c.ok,
    required: true,
    detail: c.detail,
    ...(c.fix ? { fix: c.fix } : {}),
  }));
}

export function registerDoctor(program: Command, io: CommandIO, outcome: Outcome): void {
  addSpecOptions(
    program
      .command('doctor')
      .description(
        'preflight: what is installed (local) or ready in the cluster (kubernetes), with versions and fixes',
      )
      .option('--haproxy <path>', 'HAProxy binary to check (local)')
      .option('--k6 <path>', 'k6 binary to check (local)')
      .option('--context <name>', 'kubeconfig context (kubernetes)')
      .option('--json', 'print the checks as JSON'),
  ).action(
    returning(
      outcome,
      async (
        specPath: string | undefined,
        flags: SpecFlags & { haproxy?: string; k6?: string; json?: boolean; context?: string },
      ) => {
        const spec = await resolveSpecFromFlags(specPath, flags);
        const checks =
          spec.platform === 'kubernetes'
            ? await kubernetesChecks(specPath, flags)
            : await localChecks(flags.haproxy ?? spec.local.haproxy, flags.k6);
        const missing = checks.filter((c) => c.required && !c.ok);
        if (flags.json)
          io.out(JSON.stringify({ platform: spec.platform, ok: missing.length === 0, checks }, null, 1));
        else {
          for (const c of checks) {
            const mark = c.ok ? 'ok  ' : c.required ? 'FAIL' : 'warn';
            io.out(`${mark}  ${c.name.padEnd(10)} ${c.detail}`);
            if (!c.ok && c.fix) io.out(`      ${''.padEnd(10)} fix: ${c.fix}`);
          }
          io.out(
            missing.length
              ? `\n${missing.length} required check(s) failed: meshbench run cannot start`
              : `\nready: meshbench run can start on platform ${spec.platform}`,
          );
        }
        return missing.length ? ExitCode.BadInput : ExitCode.Ok;
      },
    ),
  );
}
