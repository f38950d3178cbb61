import type { RunEvent } from '../runner/events.js';
import { formatDuration } from './console-format.js';
import type { CommandIO } from './io.js';

function ms(v: number | undefined): string {
  return v === undefined ? '-' : `${v.toFixed(v < 10 ? 2 : 1)} ms`;
}

/**
 * Renders run events for people: a line per cell when it ends and, on a terminal, a live status line with
 * the running cell, its phase and the time left. With --json every event is one JSON line on stdout.
 */
export function progressPrinter(io: CommandIO, json: boolean): (e: RunEvent) => void {
  if (json) return (e) => io.out(JSON.stringify(e));
  let lastPlainProgress = 0;
  return (e) => {
    switch (e.event) {
      case 'run-start':
        io.err(
          `run ${e.runId}: ${e.cells} cells, order ${e.order}, about ${formatDuration(e.expectedSeconds)} of load`,
        );
        io.err(`results: ${e.resultsPath}`);
        break;
      case 'mode-up':
        io.err(`up: ${e.mode.padEnd(15)} ${e.path.join(' -> ')}`);
        break;
      case 'cell-start':
        io.status(
          `[${e.index + 1}/${e.total}] ${e.mode} · ${e.tier} · rep ${e.repetition}/${e.repetitions} · starting · ${formatDuration(e.etaSeconds)} left`,
        );
        break;
      case 'cell-progress': {
        const line = `[${e.index + 1}/${e.total}] ${e.phase} ${e.elapsedSec.toFixed(1)}/${e.phaseSec}s · sent ${e.sent} · ${formatDuration(e.etaSeconds)} left`;
        if (io.isTTY) io.status(line);
        else if (Date.now() - lastPlainProgress > 30_000) {
          // Without a terminal (CI logs), a heartbeat every 30 s instead of a redrawn line.
          lastPlainProgress = Date.now();
          io.err(line);
        }
        break;
      }
      case 'cell-done': {
        const head = `[${e.index + 1}/${e.total}] ${e.mode.padEnd(15)} ${e.tier.padEnd(7)} rep ${e.repetition}`;
        if (e.status === 'ok') {
          const flags = e.flags.length ? `  ! ${e.flags.join(', ')}` : '';
          io.err(
            `${head}  p50 ${ms(e.p50Ms).padStart(9)}  p99 ${ms(e.p99Ms).padStart(9)}  ${(e.achievedRps ?? 0).toFixed(1)} rps${flags}`,
          );
        } else io.err(`${head}  ${e.status.toUpperCase()}${e.error ? `: ${e.error}` : ''}`);
        break;
      }
      case 'teardown':
        io.err('tearing down: stopping every process this run started');
        break;
      case 'run-end':
        io.err(`run ${e.status}`);
        break;
    }
  };
}
