import { ExitCode } from '../exit-codes.js';

/**
 * Where a command's action leaves its exit code. Commander drops what an action returns, so each action is
 * wrapped by `returning`, and main() exits with what the action returned, not with a global process.exitCode.
 */
export interface Outcome {
  code: ExitCode;
}

export function newOutcome(): Outcome {
  return { code: ExitCode.Ok };
}

/** An action that returns its exit code, adapted to commander's `.action()`. */
export function returning<A extends unknown[]>(
  outcome: Outcome,
  act: (...args: A) => Promise<ExitCode>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    outcome.code = await act(...args);
  };
}
