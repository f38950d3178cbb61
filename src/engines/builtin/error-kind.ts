import type { ErrorKind } from '../../results/schema.js';

// Socket error codes from Node's net layer (libuv). ETIMEDOUT is the kernel's (a connect that got no answer);
// request timeouts are declared by the sender itself (http-sender.ts, sweep), from each request's send time.
const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
};

function codeOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Sorts a socket error into the results schema's kinds, looking through `cause` and AggregateError (a
 * connect to `localhost` tries ::1 and 127.0.0.1, and fails with both errors).
 */
export function classifyError(e: unknown, depth = 0): ErrorKind {
  const kind = KIND_BY_CODE[codeOf(e) ?? ''];
  if (kind) return kind;
  if (depth < 4 && typeof e === 'object' && e !== null) {
    if (e instanceof AggregateError && e.errors.length > 0) return classifyError(e.errors[0], depth + 1);
    const cause = (e as { cause?: unknown }).cause;
    if (cause !== undefined) return classifyError(cause, depth + 1);
  }
  return 'other';
}
