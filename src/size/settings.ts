import { z } from 'zod';

/**
 * `sizing:` block of a spec: how `meshbench size` turns modelled proxy usage into requests and limits.
 * Every field has a default, so a spec (and a results.json written before this block existed) without it
 * resolves to DEFAULT_SIZING. Command-line flags (--headroom, ...) override what the results file recorded.
 */
export const sizingSchema = z
  .object({
    /**
     * Fraction added on top of the modelled usage at peak RPS to get the request: 0.3 reserves 30% more than
     * the proxy is expected to use at the service's peak. Covers CPU bursts within a second that a mean over a
     * measure window hides, and traffic above the stated peak.
     */
    headroom: z.number().min(0).max(10).default(0.3),
    /**
     * CPU limit = CPU request x this factor. 2 leaves room for bursts without letting one proxy take a node;
     * Istio's own sidecar default is far looser (100m request, 2000m limit: istio/istio
     * manifests/charts/istio-control/istio-discovery/values.yaml, global.proxy.resources).
     */
    cpuLimitFactor: z.number().min(1).max(100).default(2),
    /**
     * Memory limit = memory request x this factor. A proxy's memory grows with connections and config size
     * (clusters, routes), not only with RPS; a limit at 1.5x the request leaves room before an OOM kill.
     */
    memLimitFactor: z.number().min(1).max(100).default(1.5),
    /**
     * The smallest request any proxy gets, whatever the model says at low RPS. Defaults are App Mesh's own
     * sidecar requests (aws/eks-charts stable/appmesh-controller/values.yaml: sidecar.resources.requests
     * cpu 10m, memory 32Mi), so no mode is sized below what App Mesh reserves today for an idle Envoy.
     */
    minimum: z
      .object({
        cpuMillicores: z.number().min(0).max(64_000).default(10),
        memMiB: z
          .number()
          .min(0)
          .max(256 * 1024)
          .default(32),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

export type SizingSettings = z.infer<typeof sizingSchema>;

export const DEFAULT_SIZING: SizingSettings = {
  headroom: 0.3,
  cpuLimitFactor: 2,
  memLimitFactor: 1.5,
  minimum: { cpuMillicores: 10, memMiB: 32 },
};
