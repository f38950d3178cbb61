import type { Command } from 'commander';
import { modes as registry } from '../modes/registry.js';
import { planRun } from '../spec/plan.js';
import { describeWarmupChanges, fitSpecToK6, type K6WarmupChange } from '../engines/k6/scenario-limits.js';
import { describeVuSizing, k6VuSizing } from '../engines/k6/vu-sizing.js';
import type { ResolvedSpec } from '../spec/schema.js';
import type { renderManifests as RenderManifests } from '../platforms/kubernetes/index.js';
import { addSpecOptions, resolveSpecFromFlags, type SpecFlags } from './spec-options.js';
import { formatDuration, textTable } from './console-format.js';
import type { CommandIO } from './io.js';
import { returning, type Outcome } from './outcome.js';
import { ExitCode } from '../exit-codes.js';
import { UserError } from '../errors.js';
import { checkLoadSupport, LOAD_SUPPORT } from '../runner/load-supports.js';
import { loadSupportProblems } from '../spec/load-support.js';

export function registerPlan(program: Command, io: CommandIO, outcome: Outcome): void {
  addSpecOptions(
    program
      .command('plan')
      .description(
        'print the resolved spec, the cell matrix and the expected duration, without running anything',
      )
      .option('--json', 'print the resolved spec and plan as JSON')
      .option(
        '--manifests-only',
        'platform kubernetes: print only the manifests (multi-document YAML, for kubectl or review)',
      ),
  ).action(
    returning(
      outcome,
      async (
        specPath: string | undefined,
        flags: SpecFlags & { json?: boolean; manifestsOnly?: boolean },
      ) => {
        if (flags.json && flags.manifestsOnly)
          throw new UserError(
            '--json and --manifests-only ask for two different outputs',
            [],
            'use --manifests-only for the YAML alone, or --json for the spec, plan and manifests as JSON',
          );
        let spec = await resolveSpecFromFlags(specPath, flags);
        // A tier the engine or platform cannot carry (protocol, connection churn) is refused as `run` would.
        checkLoadSupport(spec, spec.engine);
        // With k6 for sure (asked for, or in a cluster): a tier k6 would refuse is refused here (exit 2), short
        // warm-ups are shown at the 1 s k6 runs them for, and the VU sizing is printed.
        const k6 = usesK6(spec);
        let warmups: K6WarmupChange[] = [];
        if (k6) ({ spec, warmups } = fitSpecToK6(spec));
        const plan = planRun(spec);
        // On Kubernetes the plan includes every object the run would apply (no cluster needed to render them);
        // `<run-id>` stands in for the id a real run gets.
        // Loaded when used (the Kubernetes client costs about a second at start-up).
        const k8s =
          spec.platform === 'kubernetes' ? await import('../platforms/kubernetes/index.js') : undefined;
        const manifests: ReturnType<typeof RenderManifests> | undefined = k8s
          ? k8s.renderManifests(spec, spec.kubernetes, 'plan', {
              script: await (await import('../engines/k6/bundle.js')).bundleScenario(),
            })
          : undefined;
        if (flags.json) {
          io.out(
            JSON.stringify(
              {
                spec,
                plan: {
                  order: plan.order,
                  expectedSeconds: plan.expectedSeconds,
                  cells: plan.cells.map((c) => ({
                    index: c.index,
                    mode: c.mode,
                    tier: c.tier.name,
                    repetition: c.repetition,
                  })),
                },
                ...(k6 ? { k6: { warmups, tiers: k6Sizing(spec) } } : {}),
                ...(manifests ? { manifests } : {}),
              },
              null,
              1,
            ),
          );
          return ExitCode.Ok;
        }
        if (flags.manifestsOnly) {
          if (!manifests)
            throw new UserError(
              '--manifests-only needs platform kubernetes',
              [],
              'add --platform kubernetes (or platform: kubernetes in the spec)',
            );
          io.out((k8s as NonNullable<typeof k8s>).renderManifestsYaml(manifests));
          return ExitCode.Ok;
        }
        io.out(
          `spec ${spec.name}: platform ${spec.platform}, engine ${spec.engine}, ${spec.repetitions} repetition(s), order ${plan.order}`,
        );
        io.out('');
        io.out('modes:');
        for (const m of spec.modes) io.out(`  ${m.padEnd(15)} ${registry.get(m)?.title ?? ''}`);
        io.out('');
        io.out(
          textTable(
            [
              'tier',
              'protocol',
              'rps',
              'warm-up',
              'measure',
              'connections',
              'requests/connection',
              'max in flight',
              'payload',
              'timeout',
            ],
            spec.tiers.map((t) => [
              t.name,
              t.protocol,
              String(t.rps),
              `${t.warmupSec}s`,
              `${t.durationSec}s`,
              String(t.connections),
              t.requestsPerConnection === undefined ? 'unlimited' : String(t.requestsPerConnection),
              String(t.maxInFlight),
              `${t.payloadBytes} B`,
              `${t.timeoutMs} ms`,
            ]),
          ),
        );
        io.out('');
        if (k6) {
          printK6Plan(io, spec, warmups);
          io.out('');
        } else if (spec.engine === 'auto' && spec.platform === 'local') {
          io.out(
            'engine auto: k6 when it is on PATH at run time (its warm-ups are then at least 1 s, and its VUs sized for each rate; `--engine k6` shows that plan), else builtin',
          );
          const k6Problems = loadSupportProblems(spec, [LOAD_SUPPORT.k6]);
          if (k6Problems.length > 0)
            io.out(
              `note: k6 cannot run ${k6Problems.length === 1 ? 'a tier field' : `${k6Problems.length} tier fields`} of this spec, so where k6 is on PATH \`run\` refuses it; --engine builtin runs it:\n  ${k6Problems.join('\n  ')}`,
            );
          io.out('');
        }
        io.out(
          `app: ${spec.app.replicas} replica(s), ${spec.app.delayMs} ms service time` +
            (spec.platform === 'local'
              ? `; local: ${spec.local.nodes} emulated node(s), ${spec.local.proxyThreads} proxy thread(s)`
              : `; cluster context: ${spec.kubernetes.context ?? '(current)'}`),
        );
        io.out(
          `prices: $${spec.prices.vcpuHourUsd}/vCPU-h, $${spec.prices.gibHourUsd}/GiB-h, ${spec.prices.hoursPerMonth} h/month`,
        );
        io.out('');
        io.out(
          `${plan.cells.length} cells (${spec.modes.length} modes x ${spec.tiers.length} tiers x ${spec.repetitions} repetitions), order:`,
        );
        for (const c of plan.cells)
          io.out(
            `  ${String(c.index + 1).padStart(3)}. rep ${c.repetition}  ${c.tier.name.padEnd(8)} ${c.mode}`,
          );
        io.out('');
        io.out(
          `expected duration: ${formatDuration(plan.expectedSeconds)} of load, plus set-up of ${spec.modes.length} mode(s)`,
        );
        if (!spec.modes.includes('baseline'))
          io.out(
            'note: baseline is not in the plan, so no overhead can be computed (only absolute latencies)',
          );
        if (manifests) {
          const count = manifests.reduce((n, m) => n + m.objects.length, 0);
          io.out('');
          io.out(
            `manifests the run would apply (${count} objects; the run id replaces "plan" in names and labels):`,
          );
          io.out((k8s as NonNullable<typeof k8s>).renderManifestsYaml(manifests));
        }
        return ExitCode.Ok;
      },
    ),
  );
}

/** Whether the run will certainly use k6: asked for, or on Kubernetes (load always runs as k6 Jobs there). */
function usesK6(spec: ResolvedSpec): boolean {
  return spec.engine === 'k6' || spec.platform === 'kubernetes';
}

function k6Parallelism(spec: ResolvedSpec): number {
  return spec.platform === 'kubernetes' ? spec.kubernetes.k6Parallelism : 1;
}

/** The VU sizing k6 gets per tier (src/engines/k6/vu-sizing.ts), as `plan --json` shows it. */
function k6Sizing(spec: ResolvedSpec) {
  return spec.tiers.map((t) => ({
    tier: t.name,
    ...k6VuSizing(t, { appDelayMs: spec.app.delayMs, parallelism: k6Parallelism(spec) }),
  }));
}

function printK6Plan(io: CommandIO, spec: ResolvedSpec, warmups: K6WarmupChange[]): void {
  const pods = k6Parallelism(spec);
  io.out(
    `k6 VUs per cell: pre-allocated before the test = rate x latency budget (app delay + headroom), at least connections, at most maxInFlight${pods > 1 ? `; spread over ${pods} load pods (kubernetes.k6Parallelism)` : ''}:`,
  );
  io.out(
    textTable(
      ['tier', 'rps', 'pre-allocated VUs', 'max VUs', ...(pods > 1 ? ['per pod (pre/max)'] : [])],
      spec.tiers.map((t) => {
        const s = k6VuSizing(t, { appDelayMs: spec.app.delayMs, parallelism: pods });
        return [
          t.name,
          String(t.rps),
          describeVuSizing(t, s),
          String(s.maxVUs),
          ...(pods > 1 ? [`${s.preAllocatedVUs / pods}/${s.maxVUs / pods}`] : []),
        ];
      }),
    ),
  );
  const note = describeWarmupChanges(warmups);
  if (note) io.out(note);
}
