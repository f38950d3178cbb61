import type { LoadHooks, LoadProgress } from '../engine.js';
import type { K6ProgressLine } from './progress.js';

/**
 * Calls onMeasureStart/onMeasureEnd when k6's measure scenario starts (startTime = warm-up) and ends, from k6's
 * own clock: each progress line says how long the test has run, so the test began at (arrival - elapsed). Lines
 * arrive late (pipe, buffering), never early, so the earliest estimate is the best one; until the first line the
 * spawn time stands in (k6 initialises VUs before its clock starts, so that errs early by the init time).
 * Best effort, to within about 0.1 s plus pipe delay. Each hook fires exactly once, start before end. A hook that
 * throws does not crash the timer: its error is kept in `hookError` for run() to report.
 */
export class MeasureWindow {
  private startedAtMs: number;
  private startTimer: NodeJS.Timeout | undefined;
  private endTimer: NodeJS.Timeout | undefined;
  private started = false;
  private ended = false;
  private anchoredByK6 = false;
  hookError: unknown;

  constructor(
    private readonly warmupSec: number,
    private readonly durationSec: number,
    private readonly hooks: Pick<LoadHooks, 'onMeasureStart' | 'onMeasureEnd' | 'onProgress'>,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAtMs = now();
    this.schedule();
  }

  /** A progress line from k6: re-anchors the clock when it moves the test start earlier, reports progress. */
  observe(p: K6ProgressLine): void {
    const estimate = this.now() - p.elapsedSec * 1000;
    // Re-arm only for a shift that matters (20 ms), not for every line's jitter.
    if (!this.anchoredByK6 || estimate < this.startedAtMs - 20) {
      this.anchoredByK6 = true;
      this.startedAtMs = estimate;
      this.schedule();
    }
    const onProgress = this.hooks.onProgress;
    if (onProgress !== undefined) this.guard(() => onProgress(this.progress(p)));
  }

  private progress(p: K6ProgressLine): LoadProgress {
    const inMeasure = p.elapsedSec >= this.warmupSec;
    return {
      phase: inMeasure ? 'measure' : 'warmup',
      elapsedSec: Math.min(
        inMeasure ? p.elapsedSec - this.warmupSec : p.elapsedSec,
        inMeasure ? this.durationSec : this.warmupSec,
      ),
      phaseSec: inMeasure ? this.durationSec : this.warmupSec,
      // k6 reports finished iterations and busy VUs; a busy VU is one request on the wire.
      sent: p.completed + p.interrupted + p.activeVUs,
      completed: p.completed,
    };
  }

  private schedule(): void {
    this.clearTimers();
    const at = (sec: number): number => Math.max(0, this.startedAtMs + sec * 1000 - this.now());
    if (!this.started) this.startTimer = setTimeout(() => this.fireStart(), at(this.warmupSec));
    if (!this.ended) this.endTimer = setTimeout(() => this.fireEnd(), at(this.warmupSec + this.durationSec));
  }

  private fireStart(): void {
    if (this.started) return;
    this.started = true;
    this.guard(() => this.hooks.onMeasureStart?.());
  }

  private fireEnd(): void {
    if (this.ended) return;
    this.fireStart();
    this.ended = true;
    this.guard(() => this.hooks.onMeasureEnd?.());
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.hookError ??= e;
    }
  }

  /** k6 has exited: close the window now if the timers have not (k6 finishes a little after the window). */
  finish(): void {
    this.clearTimers();
    this.fireEnd();
  }

  /** k6 failed or was aborted: stop the timers; close the window only if it had opened. */
  cancel(): void {
    this.clearTimers();
    if (this.started) this.fireEnd();
  }

  private clearTimers(): void {
    if (this.startTimer !== undefined) clearTimeout(this.startTimer);
    if (this.endTimer !== undefined) clearTimeout(this.endTimer);
    this.startTimer = undefined;
    this.endTimer = undefined;
  }
}
