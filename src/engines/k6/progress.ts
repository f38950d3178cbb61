/**
 * k6's progress line, printed to stdout about once a second when stdout is not a terminal, e.g.
 *   running (02.0s), 000/020 VUs, 399 complete and 0 interrupted iterations
 *   running (1m05.3s), 10/20 VUs, 13000 complete and 0 interrupted iterations
 * It gives k6's own clock (time since the test started, after init) and the iterations done so far.
 */
export interface K6ProgressLine {
  elapsedSec: number;
  activeVUs: number;
  completed: number;
  interrupted: number;
}

const RUNNING =
  /^running \((?:(\d+)h)?(?:(\d+)m)?(\d+(?:\.\d+)?)s\), (\d+)\/(\d+) VUs, (\d+) complete and (\d+) interrupted iterations/;

export function parseK6ProgressLine(line: string): K6ProgressLine | undefined {
  const m = RUNNING.exec(line.trim());
  if (m === null) return undefined;
  const [, h, min, s, active, , done, interrupted] = m;
  return {
    elapsedSec: Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s),
    activeVUs: Number(active),
    completed: Number(done),
    interrupted: Number(interrupted),
  };
}
