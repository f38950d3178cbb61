import { z } from 'zod';
import { thresholdsSchema } from '../compare/thresholds.js';
import { MODE_NAMES } from '../modes/mode.js';
import { sizingSchema } from '../size/settings.js';
import { kubernetesSettingsSchema } from '../platforms/kubernetes/settings.js';

/**
 * The spec a user writes (YAML or JSON). Every object is strict: an unknown field is an error, because a
 * misspelt field that silently falls back to a default makes a benchmark measure something else.
 */
/** Tier protocols, in the order reports show them. */
export const TIER_PROTOCOLS = ['http/1.1', 'h2c', 'grpc'] as const;
export type TierProtocol = (typeof TIER_PROTOCOLS)[number];

const name = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'use 1-40 lower-case letters, digits and dashes, starting with a letter or digit',
  );

export const tierSchema = z
  .object({
    name,
    /** Target arrival rate (requests per second), open model. */
    rps: z.number().positive().max(100_000),
    /** Measure window, seconds. */
    durationSec: z
      .number()
      .positive()
      .max(24 * 3600),
    /** Load before the measure window; never recorded. */
    warmupSec: z.number().min(0).max(3600),
    /** Keep-alive connections the engine opens (k6: at least this many pre-allocated VUs; see engines/k6/vu-sizing.ts). */
    connections: z.number().int().min(1).max(10_000),
    /** Response body size the app returns, bytes. */
    payloadBytes: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024),
    /**
     * What the engine speaks to the app: `http/1.1`; `h2c`, HTTP/2 over cleartext with prior knowledge (RFC 9113
     * section 3.3: no Upgrade, no TLS; a mesh adds its own mTLS between proxies); `grpc`, unary calls of a ping
     * service (meshbench.PingServer/Ping, modelled on fortio's fgrpc.PingServer) over h2c.
     */
    protocol: z.enum(TIER_PROTOCOLS),
    /**
     * Requests sent over a connection before the engine closes it and opens another (connection churn); absent:
     * unlimited, keep-alive connections live for the whole tier. 1: a new connection per request, so every
     * latency includes connection set-up through each mesh's proxies.
     */
    requestsPerConnection: z.number().int().min(1).max(1_000_000).optional(),
    /** Requests allowed in flight (queued or on the wire) before new arrivals are dropped (k6: maxVUs). */
    maxInFlight: z.number().int().min(1).max(100_000),
    /** A request still unanswered after this long counts as a timeout error. */
    timeoutMs: z.number().int().min(1).max(600_000),
  })
  .strict();

export const appSchema = z
  .object({
    /** Server replicas (pods) spread over the emulated nodes. */
    replicas: z.number().int().min(1).max(64),
    /** Fixed service time the app adds to every request, milliseconds (calibration, realistic apps). */
    delayMs: z.number().min(0).max(60_000),
  })
  .strict();

export const localSchema = z
  .object({
    /** Emulated nodes the pods are spread over (ztunnel is per node). */
    nodes: z.number().int().min(1).max(16),
    /** HAProxy threads per proxy process (Envoy's concurrency). */
    proxyThreads: z.number().int().min(1).max(64),
    /** HAProxy binary; a bare name is looked up on PATH. */
    haproxy: z.string().min(1),
    /** How often /proc is read during the measure window, milliseconds. */
    sampleIntervalMs: z.number().int().min(50).max(60_000),
    /**
     * `auto`: the builtin engine on one CPU, app servers and proxies on the others (platforms/local/cpu-pinning.ts);
     * `off`: the kernel places every process. results.json records what was done.
     */
    cpuPinning: z.enum(['auto', 'off']),
  })
  .strict();

/** Prices per resource-hour; defaults are OpenCost's (opencost/opencost, default.json pricing). */
export const pricesSchema = z
  .object({
    vcpuHourUsd: z.number().min(0),
    gibHourUsd: z.number().min(0),
    hoursPerMonth: z.number().positive().max(744),
  })
  .strict();

export const specSchema = z
  .object({
    /** Schema of the spec file itself. */
    version: z.literal(1),
    name,
    platform: z.enum(['local', 'kubernetes']),
    /** `auto`: k6 when it is on PATH, builtin otherwise. */
    engine: z.enum(['auto', 'builtin', 'k6']),
    modes: z
      .array(z.enum(MODE_NAMES))
      .min(1)
      .refine((m) => new Set(m).size === m.length, 'each mode may be listed once'),
    tiers: z
      .array(tierSchema)
      .min(1)
      .refine((t) => new Set(t.map((x) => x.name)).size === t.length, 'tier names must be unique'),
    repetitions: z.number().int().min(1).max(100),
    /** Interleave cells across modes (default; spreads drift over all modes) or run mode after mode. */
    order: z.enum(['interleaved', 'mode-major']),
    /** Pause between cells, seconds, so one cell's tail does not leak into the next. */
    cooldownSec: z.number().min(0).max(600),
    /** Seed for the per-repetition mode rotation, so a plan is reproducible. */
    seed: z.number().int().min(0),
    app: appSchema,
    local: localSchema,
    prices: pricesSchema,
    /** When `meshbench compare` calls a change a regression (compare/thresholds.ts); optional. */
    thresholds: thresholdsSchema,
    /** How `meshbench size` turns modelled proxy usage into requests and limits (size/settings.ts); optional. */
    sizing: sizingSchema,
    /** Where and how `platform: kubernetes` runs (platforms/kubernetes/settings.ts); ignored locally. */
    kubernetes: kubernetesSettingsSchema,
  })
  .strict();

export type Tier = z.infer<typeof tierSchema>;
export type AppSettings = z.infer<typeof appSchema>;
export type LocalSettings = z.infer<typeof localSchema>;
export type Prices = z.infer<typeof pricesSchema>;
/** A spec with every default filled in: what a run actually uses and what results.json records. */
export type ResolvedSpec = z.infer<typeof specSchema>;
