import { UserError } from '../errors.js';
import type { ResolvedSpec } from '../spec/schema.js';
import { createKubernetesPlatform } from './kubernetes/index.js';
import { createLocalPlatform } from './local/index.js';
import type { Platform, PlatformDescription } from './platform.js';
import type { EnvironmentInfo } from '../results/schema.js';

export interface PlatformOptions {
  runId: string;
  spec: ResolvedSpec;
  /** kubeconfig context from --context; wins over spec.kubernetes.context. */
  context?: string;
  /** Local: the CPUs app servers and proxies run on (cpu-pinning.ts). */
  serverCpus?: number[];
}

/** What a platform adds to results.json's environment beyond its description. */
export interface CreatedPlatform {
  platform: Platform;
  describe(): Promise<PlatformDescription>;
  /** Cluster facts (kubernetes only). */
  kubernetes?: () => EnvironmentInfo['kubernetes'];
  /** The engine the platform itself runs (kubernetes: k6 in a Job), overriding the local engine choice. */
  engine?: () => EnvironmentInfo['engine'];
}

/** The platform registry: the spec's `platform` names one of these. */
export async function createPlatform(o: PlatformOptions): Promise<CreatedPlatform> {
  switch (o.spec.platform) {
    case 'local': {
      const platform = createLocalPlatform({
        runId: o.runId,
        spec: o.spec,
        ...(o.serverCpus ? { serverCpus: o.serverCpus } : {}),
      });
      return { platform, describe: () => platform.describe() };
    }
    case 'kubernetes': {
      const settings = { ...o.spec.kubernetes, ...(o.context ? { context: o.context } : {}) };
      const platform = await createKubernetesPlatform({ runId: o.runId, spec: o.spec, settings });
      return {
        platform,
        describe: () => platform.describe(),
        kubernetes: () => ({
          ...platform.environment(),
          ...(settings.context ? { context: settings.context } : {}),
        }),
        engine: () => platform.engineInfo(),
      };
    }
    default:
      throw new UserError(`unknown platform ${String(o.spec.platform)}`, [], 'use local or kubernetes');
  }
}
