import { z } from 'zod';

/**
 * `kubernetes:` block of a spec: where and how the Kubernetes platform runs. Every field has a default, so
 * `platform: kubernetes` alone works against the current kubeconfig context.
 */

// Pinned image tags: a benchmark that pulls `latest` measures a different binary from one night to the next.
// fortio/fortio 1.69.5 is Istio's own benchmark server (shared/reference/mesh-modes.md); grafana/k6 1.3.0
// is a k6 1.x release (handleSummary, CSV output and --execution-segment as used here).
export const DEFAULT_SERVER_IMAGE = 'fortio/fortio:1.69.5';
export const DEFAULT_K6_IMAGE = 'grafana/k6:1.3.0';

const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/, 'use a Kubernetes quantity such as 500m, 1, 256Mi');

const resourcesSchema = z
  .object({
    requests: z.object({ cpu: quantity, memory: quantity }).strict(),
    limits: z.object({ cpu: quantity.optional(), memory: quantity.optional() }).strict().optional(),
  })
  .strict();

const labelValue = z
  .string()
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/)
  .max(63);

export const kubernetesSettingsSchema = z
  .object({
    /** kubeconfig context; the current context when absent. */
    context: z.string().min(1).optional(),
    /** Namespaces are `<prefix>-<run hash>-<mode>`; at most 20 characters so names stay within 63. */
    namespacePrefix: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/, 'use 1-20 lower-case letters, digits and dashes')
      .default('meshbench'),
    /** Istio control-plane revision, e.g. `asm-1-26` for the AKS add-on: namespaces get `istio.io/rev`. */
    istioRevision: labelValue.min(1).optional(),
    /** How long workloads may take to become ready and enrolled, seconds. */
    readyTimeoutSec: z.number().int().min(1).max(3600).default(300),
    /** Prometheus base URL (cAdvisor metrics); without it proxies are sampled from metrics.k8s.io. */
    prometheusUrl: z.string().url().optional(),
    serverImage: z.string().min(1).default(DEFAULT_SERVER_IMAGE),
    k6Image: z.string().min(1).default(DEFAULT_K6_IMAGE),
    serverResources: resourcesSchema.default({
      requests: { cpu: '500m', memory: '128Mi' },
      limits: { cpu: '2', memory: '512Mi' },
    }),
    clientResources: resourcesSchema.default({
      requests: { cpu: '1', memory: '512Mi' },
      limits: { cpu: '2', memory: '2Gi' },
    }),
    /** k6 load pods per cell; above 1 a k6-operator TestRun when the operator is installed, else an indexed Job. */
    k6Parallelism: z.number().int().min(1).max(64).default(1),
    /** Node selector for every pod the run creates (servers and load). */
    nodeSelector: z.record(z.string(), z.string()).optional(),
    /**
     * Sampling interval, seconds. metrics-server computes usage over a ~15 s window (its default
     * --metric-resolution), so polling faster only returns repeated points.
     */
    sampleIntervalSec: z.number().min(1).max(300).default(15),
  })
  .strict();

/** What a user may write. */
export type KubernetesSettingsInput = z.input<typeof kubernetesSettingsSchema>;
/** With every default filled in. */
export type KubernetesSettings = z.output<typeof kubernetesSettingsSchema>;
export type ResourceSettings = KubernetesSettings['serverResources'];

export const DEFAULT_KUBERNETES_SETTINGS: KubernetesSettings = kubernetesSettingsSchema.parse({});
