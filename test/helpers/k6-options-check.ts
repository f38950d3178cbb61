/**
 * What k6 checks in a script's `options.scenarios` before it sends a request, for the executor meshbench uses
 * (constant-arrival-rate), written from grafana/k6 lib/executor: BaseConfig.Validate (name, startTime,
 * gracefulStop), ConstantArrivalRateConfig.Validate (rate, timeUnit, duration >= minDuration = 1 s,
 * preAllocatedVUs, maxVUs) and the "scenario <name> has configuration errors: ..." wording of its exit-104 message.
 * A test stand-in, checked against a real k6's refusal (shared/fixtures/k6/scenario-too-short): it lets tests
 * prove that every scenario meshbench generates passes k6's checks without k6 installed.
 */

/** k6 duration strings as scenarios use them ('500ms', '1s', '1000s', '1m30s', '1h'), to milliseconds. */
export function parseK6Duration(value: unknown): number | undefined {
  if (typeof value === 'number') return value; // k6 reads a bare number as milliseconds
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(value)) !== null) {
    const n = Number(m[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    at = re.lastIndex;
  }
  return at === value.length ? total : undefined;
}

/** Go's time.Duration String() for what these checks print: '500ms', '1s', '1.5s', '2m0s'. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${(ms - m * 60_000) / 1000}s`;
}

const MIN_DURATION_MS = 1000;

function scenarioErrors(name: string, sc: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (!/^[0-9a-zA-Z_-]+$/.test(name))
    errors.push('the executor name should contain only numbers, latin letters, underscores, and dashes');
  const startTime = parseK6Duration(sc['startTime'] ?? '0s');
  if (startTime === undefined || startTime < 0) errors.push("the startTime can't be negative");
  const gracefulStop = parseK6Duration(sc['gracefulStop'] ?? '30s');
  if (gracefulStop === undefined || gracefulStop < 0)
    errors.push("the gracefulStop timeout can't be negative");
  if (sc['executor'] !== 'constant-arrival-rate') {
    errors.push(`meshbench's stand-in only checks constant-arrival-rate, not ${String(sc['executor'])}`);
    return errors;
  }
  const rate = sc['rate'];
  if (rate === undefined) errors.push("the iteration rate isn't specified");
  else if (typeof rate !== 'number' || !Number.isInteger(rate) || rate <= 0)
    errors.push('the iteration rate must be more than 0');
  const timeUnit = parseK6Duration(sc['timeUnit'] ?? '1s');
  if (timeUnit === undefined || timeUnit <= 0) errors.push('the timeUnit must be more than 0');
  const duration = parseK6Duration(sc['duration']);
  if (sc['duration'] === undefined || duration === undefined) errors.push('the duration is unspecified');
  else if (duration < MIN_DURATION_MS)
    errors.push(
      `the duration must be at least ${goDuration(MIN_DURATION_MS)}, but is ${goDuration(duration)}`,
    );
  const pre = sc['preAllocatedVUs'];
  if (pre === undefined) errors.push("the number of preAllocatedVUs isn't specified");
  else if (typeof pre !== 'number' || pre < 0) errors.push("the number of preAllocatedVUs can't be negative");
  const max = sc['maxVUs'] ?? pre;
  if (typeof max === 'number' && typeof pre === 'number' && max < pre)
    errors.push("maxVUs can't be less than preAllocatedVUs");
  return errors;
}

/** k6's complaints about the scenarios, one per scenario, worded as k6 prints them; [] when k6 accepts them. */
export function k6ScenarioErrors(options: { scenarios?: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(options.scenarios ?? {}).flatMap(([name, sc]) => {
    const errors = scenarioErrors(name, sc);
    return errors.length === 0 ? [] : [`scenario ${name} has configuration errors: ${errors.join(', ')}`];
  });
}

/** The stderr line a k6 v0.48 prints for those complaints before it exits 104 (scenario-too-short/stderr.txt). */
export function k6ConfigErrorLine(errors: string[], at = new Date()): string {
  const msg = `There were problems with the specified script configuration:${errors.map((e) => `\\n\\t- ${e}`).join('')}`;
  return `time="${at.toISOString().replace(/\.\d+Z$/, 'Z')}" level=error msg="${msg}"`;
}

/**
 * The VUs k6 initialises before the test (grafana/k6 ScenarioConfigs.GetFullExecutionRequirements and
 * GetMaxPlannedVUs): each scenario needs its preAllocatedVUs from its startTime to startTime + duration +
 * gracefulStop; steps at the same instant are applied one scenario at a time in (startTime, name) order, and the
 * most VUs needed at any step are initialised.
 */
export function k6PlannedVUs(options: { scenarios?: Record<string, Record<string, unknown>> }): number {
  const configs = Object.entries(options.scenarios ?? {})
    .map(([name, sc]) => ({
      name,
      start: parseK6Duration(sc['startTime'] ?? '0s') ?? 0,
      end:
        (parseK6Duration(sc['startTime'] ?? '0s') ?? 0) +
        (parseK6Duration(sc['duration']) ?? 0) +
        (parseK6Duration(sc['gracefulStop'] ?? '30s') ?? 0),
      vus: typeof sc['preAllocatedVUs'] === 'number' ? sc['preAllocatedVUs'] : 0,
    }))
    .sort((a, b) => a.start - b.start || (a.name < b.name ? -1 : 1));
  const steps = configs
    .flatMap((c, id) => [
      { at: c.start, id, vus: c.vus },
      { at: c.end, id, vus: 0 },
    ])
    .sort((a, b) => a.at - b.at || a.id - b.id);
  const current = configs.map(() => 0);
  let most = 0;
  for (const s of steps) {
    current[s.id] = s.vus;
    most = Math.max(
      most,
      current.reduce((x, y) => x + y, 0),
    );
  }
  return most;
}
