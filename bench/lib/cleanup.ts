/**
 * Process-wide cleanup for benches: whatever a bench starts (nginx, a load tool, a meshbench run) or creates
 * (temp dirs) registers a synchronous undo here, and it runs on normal exit, on an uncaught error and on
 * Ctrl-C / SIGTERM. Synchronous because 'exit' handlers cannot await; killing a process and removing a dir
 * both have synchronous forms.
 */
import { rmSync } from 'node:fs';

type Undo = () => void;

const undos = new Map<number, Undo>();
let nextId = 0;
let installed = false;

function runAll(): void {
  // Newest first: a process is killed before the temp dir it writes into is removed.
  for (const id of [...undos.keys()].reverse()) {
    const undo = undos.get(id);
    undos.delete(id);
    try {
      undo?.();
    } catch {
      // Best effort: one failed undo must not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`\n${sig}: cleaning up and exiting\n`);
      runAll();
      process.exit(130);
    });
  }
}

/** Registers an undo; the returned function runs it now (once) and unregisters it. */
export function onCleanup(undo: Undo): () => void {
  install();
  const id = nextId++;
  undos.set(id, undo);
  return () => {
    if (!undos.delete(id)) return;
    undo();
  };
}

/** Kills a process group (or a single process) with SIGKILL, ignoring one that is already gone. */
export function killTree(pid: number | undefined, group: boolean): void {
  if (pid === undefined) return;
  try {
    process.kill(group ? -pid : pid, 'SIGKILL');
  } catch {
    // ESRCH: already exited.
  }
}

export function removeDirSync(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
