import { afterAll, describe, expect, it } from 'vitest';
import { MODE_NAMES, type ModeName } from '../../src/modes/mode.js';
import { getMode } from '../../src/modes/registry.js';
import { cleanupKubernetes } from '../../src/platforms/kubernetes/teardown.js';
import {
  createKubernetesPlatform,
  type KubernetesPlatform,
} from '../../src/platforms/kubernetes/platform.js';
import { kubernetesPreflight } from '../../src/platforms/kubernetes/preflight.js';
import { kubernetesSettingsSchema } from '../../src/platforms/kubernetes/settings.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import type { ResolvedSpec, Tier } from '../../src/spec/schema.js';
import { decodeHistogram, percentileMicros } from '../../src/stats/histogram.js';

/**
 * The whole flow against a real cluster: preflight, every requested mode up and enrolled, one load Job per mode,
 * proxies sampled, everything deleted. Opt-in: runs only when KUBECONFIG is set (see docs/KUBERNETES.md, e.g. kind
 * with Istio's ambient profile). MESHBENCH_K8S_MODES picks modes (default: baseline and the three Istio modes),
 * MESHBENCH_K8S_CONTEXT a kubeconfig context, MESHBENCH_K8S_PROMETHEUS a Prometheus URL.
 */
const enabled = process.env.KUBECONFIG !== undefined && process.env.KUBECONFIG !== '';
if (!enabled)
  console.warn(
    '\n  kubernetes-live: SKIPPED — no cluster. Set KUBECONFIG to a test cluster (see docs/KUBERNETES.md) and run `npm run test:k8s`.\n',
  );

const modes = (process.env.MESHBENCH_K8S_MODES ?? 'baseline,istio-sidecar,istio-ambient,istio-waypoint')
  .split(',')
  .map((m) => m.trim()) as ModeName[];
const runId = `live-${Date.now().toString(36)}`;
const tier: Tier = {
  name: 'live',
  rps: 20,
  durationSec: 10,
  warmupSec: 3,
  connections: 2,
  payloadBytes: 256,
  protocol: 'http/1.1',
  maxInFlight: 50,
  timeoutMs: 5000,
};
const spec: ResolvedSpec = {
  ...DEFAULT_SPEC,
  platform: 'kubernetes',
  modes,
  tiers: [tier],
  repetitions: 1,
  app: { replicas: 2, delayMs: 0 },
};
const settings = kubernetesSettingsSchema.parse({
  ...(process.env.MESHBENCH_K8S_CONTEXT ? { context: process.env.MESHBENCH_K8S_CONTEXT } : {}),
  ...(process.env.MESHBENCH_K8S_PROMETHEUS ? { prometheusUrl: process.env.MESHBENCH_K8S_PROMETHEUS } : {}),
  readyTimeoutSec: 300,
  serverResources: { requests: { cpu: '100m', memory: '64Mi' } },
  clientResources: { requests: { cpu: '200m', memory: '128Mi' } },
});

describe.skipIf(!enabled)('kubernetes platform against a real cluster', () => {
  let platform: KubernetesPlatform | undefined;

  afterAll(async () => {
    await platform?.down();
    // Whatever happened, nothing of this run may remain.
    const left = await cleanupKubernetes({
      runId,
      dryRun: true,
      ...(settings.context ? { context: settings.context } : {}),
    });
    expect(left.objects).toEqual([]);
  });

  it('passes preflight for the requested modes', async () => {
    for (const m of modes) expect(MODE_NAMES).toContain(m);
    const checks = await kubernetesPreflight({ spec, settings, runId });
    const failed = checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail} (fix: ${c.fix})`);
    expect(failed).toEqual([]);
  });

  it.each(modes)('runs %s: up, enrolled, load, samples', async (m) => {
    platform ??= await createKubernetesPlatform({ runId, spec, settings });
    const dep = await platform.up(getMode(m));
    const sampler = platform.sampler(dep);
    const latency = await platform.load(dep, tier, {
      tags: { mode: m, tier: tier.name, rep: '1' },
      onMeasureStart: () => sampler.start(),
    });
    const samples = await sampler.stop();
    expect(latency.requests).toBeGreaterThan(tier.rps * tier.durationSec * 0.8);
    expect(latency.ok / latency.requests).toBeGreaterThan(0.99);
    expect(percentileMicros(decodeHistogram(latency.histogram), 50)).toBeGreaterThan(0);
    if (m !== 'baseline') expect(dep.proxies.length).toBeGreaterThan(0);
    for (const s of samples) for (const p of s.points) expect(p.cpuMillicores).toBeGreaterThanOrEqual(0);
  });
});

describe.skipIf(enabled)('kubernetes platform against a real cluster', () => {
  it('SKIPPED: no cluster (set KUBECONFIG, see docs/KUBERNETES.md)', () => {
    expect(enabled).toBe(false);
  });
});
