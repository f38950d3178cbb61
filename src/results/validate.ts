import { z } from 'zod';
import { MODE_NAMES } from '../modes/mode.js';
import { mergeWithDefaults } from '../spec/merge.js';
import { specSchema } from '../spec/schema.js';
import { RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION } from './schema.js';

/**
 * Structural check of a results.json read from disk. It guards the pure pipeline after a run (report,
 * compare, size) against hand-edited, truncated or foreign files: the fields those stages rely on must be
 * there with the right types. Extra fields pass through (additive changes do not need a new schema version).
 */
const histogram = z.object({
  encoding: z.literal('hdr-v2-base64'),
  unit: z.literal('us'),
  data: z.string().min(1),
});
const count = z.number().int().min(0);

const latency = z
  .object({
    histogram,
    serviceHistogram: histogram.optional(),
    coordinatedOmissionCorrected: z.boolean(),
    requests: count,
    ok: count,
    errors: z.object({ byStatus: z.record(count), byKind: z.record(count) }).passthrough(),
    dropped: count,
    targetRps: z.number().min(0),
    achievedRps: z.number().min(0),
    measureSeconds: z.number().min(0),
    // Optional (k6 cells since issue 13): read by the k6 diagnosis in reports.
    k6: z
      .object({
        preAllocatedVUs: count,
        maxVUs: count,
        vusMax: count.optional(),
        maxVUsReached: z.boolean().optional(),
        cpu: z
          .object({
            span: z.enum(['measure-window', 'k6-run']),
            seconds: z.number().min(0),
            k6CpuSeconds: z.number().min(0),
            hostBusyCpuSeconds: z.number().min(0).optional(),
            cores: z.number().positive(),
          })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

const proxySamples = z
  .object({
    proxyId: z.string(),
    points: z.array(
      z
        .object({ tMs: z.number(), cpuMillicores: z.number().min(0), memMiB: z.number().min(0) })
        .passthrough(),
    ),
  })
  .passthrough();

const cell = z
  .object({
    mode: z.enum(MODE_NAMES),
    tier: z.string(),
    repetition: z.number().int().min(1),
    index: z.number().int().min(0),
    status: z.enum(['ok', 'failed', 'skipped']),
    error: z.string().optional(),
    startedAt: z.string(),
    finishedAt: z.string(),
    latency: latency.optional(),
    proxies: z.array(proxySamples).optional(),
    flags: z.array(z.string()),
  })
  .passthrough()
  .refine((c) => c.status !== 'ok' || c.latency !== undefined, {
    message: 'a cell with status ok must have latency',
  });

const proxyInfo = z
  .object({
    id: z.string(),
    role: z.enum(['client-sidecar', 'server-sidecar', 'node-proxy', 'waypoint']),
    scope: z.enum(['pod', 'node', 'namespace']),
    node: z.string(),
    pod: z.string().optional(),
    implementation: z.string(),
  })
  .passthrough();

export const resultsFileSchema = z
  .object({
    schema: z.literal(RESULTS_SCHEMA),
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    runId: z.string().min(1),
    status: z.enum(['running', 'complete', 'interrupted', 'failed']),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    error: z.string().optional(),
    runner: z
      .object({
        pid: z.number().int().positive(),
        hostname: z.string(),
        bootId: z.string().optional(),
        startTicks: z.number().int().min(0).optional(),
      })
      .passthrough()
      .optional(),
    // Sections added to the spec after a file was written (additive changes) take their defaults.
    spec: z.preprocess(mergeWithDefaults, specSchema),
    plan: z
      .object({
        order: z.enum(['interleaved', 'mode-major']),
        orderReason: z.string().optional(),
        cells: z.array(
          z
            .object({ mode: z.enum(MODE_NAMES), tier: z.string(), repetition: z.number().int() })
            .passthrough(),
        ),
      })
      .passthrough(),
    environment: z
      .object({
        platform: z.enum(['local', 'kubernetes']),
        engine: z.object({ name: z.enum(['builtin', 'k6']), version: z.string() }).passthrough(),
        proxy: z.object({ name: z.string(), version: z.string() }).passthrough(),
      })
      .passthrough(),
    topology: z.array(
      z
        .object({
          mode: z.enum(MODE_NAMES),
          pods: z.array(
            z
              .object({ name: z.string(), role: z.enum(['client', 'server']), node: z.string() })
              .passthrough(),
          ),
          nodes: z.array(z.string()),
          proxies: z.array(proxyInfo),
          path: z.array(z.string()),
        })
        .passthrough(),
    ),
    cells: z.array(cell),
  })
  .passthrough();
