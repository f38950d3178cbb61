import type { ErrorKind } from '../../results/schema.js';
import { K6_TIMEOUT_CODES } from './env-keys.js';

/**
 * k6's error_code tag on a request that failed, as defined in grafana/k6 lib/netext/httpext/error_codes.go
 * (documented at https://grafana.com/docs/k6/latest/javascript-api/error-codes/):
 *   1000 generic, 1010 non-TCP network, 1020 invalid URL, 1050 request timeout,
 *   11xx DNS, 1200 generic TCP, 1201 broken pipe, 1202 unknown errno, 1210 dial, 1211 dial timeout,
 *   1212 connection refused, 1213 dial unknown errno, 1220 connection reset by peer,
 *   13xx TLS, 14xx/15xx HTTP 4xx/5xx (a response did arrive), 16xx HTTP/2.
 * Only requests without a response (status 0) are sorted into kinds: an HTTP error status is counted by status.
 */
export function errorKindForK6Code(code: number): ErrorKind {
  if (K6_TIMEOUT_CODES.includes(code)) return 'timeout';
  if (code === 1210 || code === 1212 || code === 1213) return 'refused';
  if (code === 1201 || code === 1220) return 'reset';
  return 'other';
}

/** k6's exit codes (grafana/k6 errext/exitcodes/codes.go), for messages that say what went wrong. */
const EXIT_CODES: Record<number, string> = {
  97: 'the cloud test run failed',
  98: 'k6 could not get progress from the cloud',
  99: 'a threshold was crossed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'a timeout',
  103: 'the run was stopped from k6 REST API',
  104: 'invalid configuration',
  105: 'the run was aborted by a signal',
  106: 'k6 could not start its REST API',
  107: 'the script threw an exception',
  108: 'the script called test.abort()',
  110: 'the test was marked as failed',
};

export function describeK6Exit(code: number): string {
  return EXIT_CODES[code] ?? 'an error';
}
