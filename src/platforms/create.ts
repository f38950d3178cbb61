import type { Engine } from '../engines/engine.js';
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
  /** Local: the engine that makes the load (chosen by the command). Kubernetes runs k6 in a Job of its own. */
  engine?: Engine;
}

/**
 * The engine a platform loads with when it does not take one: kubernetes always runs k6 in the cluster. Known
 * before the platform exists, because the spec is fitted to k6's limits first.
 */
export const OWN_ENGINE: Readonly<Record<'kubernetes', 'k6'>> = { kubernetes: 'k6' };

/** What a platform adds to results.json's environment beyond its description. */
export interface CreatedPlatform {
  platform: Platform;
  describe(): Promise<PlatformDescription>;
  /** Cluster facts (kubernetes only). */
  kubernetes?: () => EnvironmentInfo['kubernetes'];
}

/** The platform registry: the spec's `platform` names one of these. */
export async function createPlatform(o: PlatformOptions): Promise<CreatedPlatform> {
  switch (o.spec.platform) {
    case 'local': {
      if (!o.engine) throw new Error('the local platform is created with the engine it runs');
      const platform = createLocalPlatform({
        engine: o.engine,
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
      };
    }
    default:
      throw new UserError(`unknown platform ${String(o.spec.platform)}`, [], 'use local or kubernetes');
  }
}
