import { spawn } from 'node:child_process';

export interface K6ProcessOptions {
  k6Path: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal?: AbortSignal;
  /** Kill k6 if it has not exited after this long. */
  deadlineMs: number;
  /** After SIGINT, how long k6 gets to stop cleanly (it flushes outputs, runs handleSummary) before SIGKILL. */
  killGraceMs?: number;
  onStdoutLine?: (line: string) => void;
  /** Called once k6 has started, with its pid (for reading its CPU time from /proc). */
  onSpawn?: (pid: number) => void;
}

/** k6 logged that a scenario used every one of its maxVUs and dropped arrivals it could not start a VU for. */
export interface K6VuCapHit {
  scenario: string;
  vus: number;
}

export interface K6ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  aborted: boolean;
  timedOut: boolean;
  /** k6's error-level log messages (first few), unwrapped from logfmt. */
  errors: string[];
  /** The end of stderr and stdout, for messages when no error line says more. */
  stderrTail: string;
  stdoutTail: string;
  /** The process could not be started (ENOENT, EACCES...). */
  spawnError?: Error;
  /** k6's "Insufficient VUs, reached N active VUs and cannot initialize more" warnings, one per scenario. */
  vuCapHits: K6VuCapHit[];
}

const TAIL_CHARS = 4096;
const MAX_ERROR_LINES = 10;

/**
 * k6's warning when an arrival-rate scenario has all of its maxVUs busy (grafana/k6 constant_arrival_rate.go, once
 * per scenario), e.g. `level=warning msg="Insufficient VUs, reached 2 active VUs and cannot initialize more"
 * executor=constant-arrival-rate scenario=measure` (shared/fixtures/k6/dropped/stderr.txt).
 */
export function parseVuCapWarning(line: string): K6VuCapHit | undefined {
  const m = /msg="Insufficient VUs, reached (\d+) active VUs/.exec(line);
  if (m === null) return undefined;
  const scenario = /\bscenario=("?)([^"\s]+)\1/.exec(line);
  return { scenario: scenario?.[2] ?? '', vus: Number(m[1]) };
}

/** `time="..." level=error msg="GoError: ...\n" hint="script exception"` -> `GoError: ... (script exception)`. */
export function k6LogMessage(line: string): string {
  const msg = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line);
  if (msg === null) return line.trim();
  const unescape = (s: string): string =>
    s
      .replace(/\\n/g, '\n')
      .replace(/\\t/g, '\t')
      .replace(/\\(["\\])/g, '$1')
      .trim();
  const hint = /\bhint="((?:[^"\\]|\\.)*)"/.exec(line);
  return unescape(msg[1] ?? '') + (hint ? ` (${unescape(hint[1] ?? '')})` : '');
}

function keepTail(tail: string, more: string): string {
  const s = tail + more;
  return s.length > TAIL_CHARS ? s.slice(s.length - TAIL_CHARS) : s;
}

/**
 * Runs k6 once and settles when it has exited, never before: the caller may then remove its files. Stdout is
 * split into lines for progress; stderr is scanned for error-level lines and otherwise only its tail is kept,
 * because k6 logs a warning per failed request and a broken target can make stderr huge.
 * `signal` and the deadline stop k6 with SIGINT (k6 stops the test, flushes outputs), then SIGKILL.
 */
export function runK6Process(opts: K6ProcessOptions): Promise<K6ProcessResult> {
  return new Promise((resolve) => {
    const result: K6ProcessResult = {
      exitCode: null,
      signal: null,
      aborted: false,
      timedOut: false,
      errors: [],
      stderrTail: '',
      stdoutTail: '',
      vuCapHits: [],
    };
    const child = spawn(opts.k6Path, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const stop = (): void => {
      if (child.exitCode !== null || child.signalCode !== null || killTimer !== undefined) return;
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 5000);
    };
    const onAbort = (): void => {
      result.aborted = true;
      stop();
    };
    const deadline = setTimeout(() => {
      result.timedOut = true;
      stop();
    }, opts.deadlineMs);
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (killTimer !== undefined) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };

    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      result.stdoutTail = keepTail(result.stdoutTail, chunk);
      const lines = (partial + chunk).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const line of lines) opts.onStdoutLine?.(line);
    });
    const scanStderrLine = (line: string): void => {
      if (result.errors.length < MAX_ERROR_LINES && /\blevel=(error|fatal)\b/.test(line))
        result.errors.push(k6LogMessage(line));
      const cap = parseVuCapWarning(line);
      if (cap !== undefined && !result.vuCapHits.some((h) => h.scenario === cap.scenario))
        result.vuCapHits.push(cap);
    };
    let errPartial = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      result.stderrTail = keepTail(result.stderrTail, chunk);
      const lines = (errPartial + chunk).split('\n');
      errPartial = (lines.pop() ?? '').slice(-TAIL_CHARS);
      for (const line of lines) scanStderrLine(line);
    });
    child.on('error', (err) => {
      result.spawnError = err;
      // 'close' does not follow when the process never started.
      if (child.pid === undefined) finish();
    });
    child.on('close', (code, sig) => {
      if (settled) return;
      if (partial !== '') opts.onStdoutLine?.(partial);
      if (errPartial !== '') scanStderrLine(errPartial);
      result.exitCode = code;
      result.signal = sig;
      finish();
    });
  });
}
