import type { Command } from 'commander';
import { modes as registry } from '../modes/registry.js';
import { planRun } from '../spec/plan.js';
import type { renderManifests as RenderManifests } from '../platforms/kubernetes/index.js';
import { addSpecOptions, resolveSpecFromFlags, type SpecFlags } from './spec-options.js';
import { formatDuration, textTable } from './console-format.js';
import type { CommandIO } from './io.js';
import { UserError } from '../errors.js';

export function registerPlan(program: Command, io: CommandIO): void {
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
    async (specPath: string | undefined, flags: SpecFlags & { json?: boolean; manifestsOnly?: boolean }) => {
      if (flags.json && flags.manifestsOnly)
        throw new UserError(
          '--json and --manifests-only ask for two different outputs',
          [],
          'use --manifests-only for the YAML alone, or --json for the spec, plan and manifests as JSON',
        );
      const spec = await resolveSpecFromFlags(specPath, flags);
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
              ...(manifests ? { manifests } : {}),
            },
            null,
            1,
          ),
        );
        return;
      }
      if (flags.manifestsOnly) {
        if (!manifests)
          throw new UserError(
            '--manifests-only needs platform kubernetes',
            [],
            'add --platform kubernetes (or platform: kubernetes in the spec)',
          );
        io.out((k8s as NonNullable<typeof k8s>).renderManifestsYaml(manifests));
        return;
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
          ['tier', 'rps', 'warm-up', 'measure', 'connections', 'max in flight', 'payload', 'timeout'],
          spec.tiers.map((t) => [
            t.name,
            String(t.rps),
            `${t.warmupSec}s`,
            `${t.durationSec}s`,
            String(t.connections),
            String(t.maxInFlight),
            `${t.payloadBytes} B`,
            `${t.timeoutMs} ms`,
          ]),
        ),
      );
      io.out('');
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
        io.out('note: baseline is not in the plan, so no overhead can be computed (only absolute latencies)');
      if (manifests) {
        const count = manifests.reduce((n, m) => n + m.objects.length, 0);
        io.out('');
        io.out(
          `manifests the run would apply (${count} objects; the run id replaces "plan" in names and labels):`,
        );
        io.out((k8s as NonNullable<typeof k8s>).renderManifestsYaml(manifests));
      }
    },
  );
}
