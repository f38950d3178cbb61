import type { ErrorKind } from '../../results/schema.js';

/** Thrown (by the generator itself) when a request is still unanswered after the tier's timeoutMs. */
export class RequestTimeoutError extends Error {
  readonly code = 'MESHBENCH_REQUEST_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

// Codes from Node's net/os layer and undici's errors (undici/lib/core/errors.js).
const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
  MESHBENCH_REQUEST_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
};

function codeOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Sorts a failed request's error into the results schema's kinds, looking through `cause` and AggregateError. */
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
