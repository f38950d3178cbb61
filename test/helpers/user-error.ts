import { isUserError, type UserError } from '../../src/errors.js';

/** Runs `f` and returns the UserError it throws; any other error is rethrown, and no error fails the test. */
export function thrownUserError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (isUserError(e)) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}
