/**
 * Every exit status meshbench uses, in one place (as k6 keeps its exit codes beside its errors). Commands
 * return one of these; only src/cli.ts hands it to the process.
 */
export const ExitCode = {
  /** Everything asked for was done (run: every cell measured; compare: the gate passed). */
  Ok: 0,
  /** The work ran but did not succeed: failed cells or a failed run, a failed compare gate, an internal error. */
  Failed: 1,
  /** Bad input: a spec, flag, results file, inventory, path or missing tool the user can fix. Nothing started. */
  BadInput: 2,
  /** Stopped by SIGINT, SIGTERM or SIGHUP (128 + SIGINT's number, as shells report it). */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
