import { Option, type Command } from 'commander';
import { cleanupLeftovers } from '../platforms/local/index.js';
import type { CommandIO } from './io.js';
import { returning, type Outcome } from './outcome.js';
import { ExitCode } from '../exit-codes.js';

/**
 * Removes what a crashed run left behind, found again from its run directory (local) or its labels
 * (kubernetes), never from memory. It lists what it will remove before removing it.
 */
export function registerCleanup(program: Command, io: CommandIO, outcome: Outcome): void {
  program
    .command('cleanup')
    .description('remove what a crashed run left behind (only what meshbench created); lists it first')
    .option('--run <id>', 'only this run (default: every run whose meshbench process is gone)')
    .addOption(
      new Option('--platform <platform>', 'where to look').choices(['local', 'kubernetes']).default('local'),
    )
    .option('--context <name>', 'kubeconfig context (kubernetes)')
    .option('--dry-run', 'only list what would be removed')
    .action(
      returning(
        outcome,
        async (flags: { run?: string; platform: string; dryRun?: boolean; context?: string }) => {
          if (flags.platform === 'kubernetes') {
            // Found by the run's labels (meshbench.io/run, app.kubernetes.io/managed-by=meshbench), never by name.
            const k = {
              ...(flags.run ? { runId: flags.run } : {}),
              ...(flags.context ? { context: flags.context } : {}),
            };
            const { cleanupKubernetes } = await import('../platforms/kubernetes/index.js');
            const listed = await cleanupKubernetes({ ...k, dryRun: true });
            if (listed.objects.length === 0) {
              io.out(
                flags.run
                  ? `no objects labelled with run ${flags.run}`
                  : 'no objects labelled as created by meshbench',
              );
              return ExitCode.Ok;
            }
            io.out(`${flags.dryRun ? 'would delete' : 'deleting'}:`);
            for (const o of listed.objects) io.out(`  ${o}`);
            if (flags.dryRun) return ExitCode.Ok;
            const done = await cleanupKubernetes({ ...k, dryRun: false });
            io.out(`deleted ${done.objects.length} object(s); namespaces are gone`);
            return ExitCode.Ok;
          }
          const listed = await cleanupLeftovers({ ...(flags.run ? { runId: flags.run } : {}), dryRun: true });
          if (listed.removed.length === 0) {
            io.out(
              flags.run ? `nothing left from run ${flags.run}` : 'nothing left behind by meshbench runs',
            );
            return ExitCode.Ok;
          }
          io.out(`${flags.dryRun ? 'would remove' : 'removing'}:`);
          for (const l of listed.removed) io.out(`  ${l}`);
          if (flags.dryRun) return ExitCode.Ok;
          const done = await cleanupLeftovers(flags.run ? { runId: flags.run } : {});
          io.out(`removed ${done.removed.length} item(s)`);
          return ExitCode.Ok;
        },
      ),
    );
}
