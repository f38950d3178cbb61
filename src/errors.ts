import { ExitCode } from './exit-codes.js';

/**
 * A mistake the user can fix (bad spec, flag, results file, missing tool, cluster state). The CLI prints
 * `problems` and `fix` without a stack trace and exits with `exitCode` (bad input). Library code throws it and
 * never exits itself.
 */
export class UserError extends Error {
  readonly exitCode: ExitCode = ExitCode.BadInput;
  constructor(
    message: string,
    readonly problems: string[] = [],
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** Formats any thrown value for a one-line message (never a stack). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
