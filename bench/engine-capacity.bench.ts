/**
 * Capacity: the highest rate the builtin engine holds within 1% on this machine, against the highest rate wrk
 * reaches on the same target (nginx on 127.0.0.1), and the CPU the engine uses per 1000 RPS.
 *
 *   npx tsx bench/engine-capacity.bench.ts
 *   npx tsx bench/engine-capacity.bench.ts --start 2000 --duration 3
 *
 * The builtin engine is stepped up by 1.5x from --start until a rate is not held (achieved rate more than 1%
 * off, any error, or any dropped arrival), then the gap is bisected three times. A second search, reusing those
 * trials, finds the highest rate also held on time (median latency from the intended send time <= 5 ms), since
 * a generator can catch up by the end of a window after sending most requests late. Each trial is a fresh engine
 * run with 2 s of warm-up and a 4 s window, connections as meshbench's tier defaults pick for the rate.
 * wrk runs closed-loop (as fast as the target answers) with 16 and 64 connections and with the connections of
 * the engine's best trial; its highest rate is the comparison. Both share the 2 cores with nginx, as they would
 * with the proxies of a local run.
 */
import { pathToFileURL } from 'node:url';
import { argNumber } from './lib/args.js';
import { benchTier, runBuiltin, type BuiltinRun } from './lib/builtin-run.js';
import { detailTable, fmtPct, fmtUs, textTable, type Figure, type SectionResult } from './lib/figures.js';
import { describeMachine, loadAverage, machine } from './lib/machine.js';
import { startNginx, type NginxTarget } from './lib/nginx-target.js';
import { millicoresPer1000Rps, RATE_TOLERANCE, rateError } from './lib/load-math.js';
import { runWrk, type WrkResult } from './lib/wrk.js';

export interface CapacityOptions {
  startRps: number;
  durationSec: number;
  warmupSec: number;
  maxTrials: number;
  wrkDurationSec: number;
  log: (s: string) => void;
}

export interface Trial {
  run: BuiltinRun;
  /** Achieved rate within 1%, no errors, no dropped arrivals: the "holds the rate". */
  held: boolean;
  /** Held, and the median request was sent on time (p50 from the intended time <= STRICT_P50_US). */
  heldOnTime: boolean;
}

export interface Capacity {
  trials: Trial[];
  /** The highest held trial, if any. */
  best?: Trial;
  /** The highest trial held on time, if any. */
  bestOnTime?: Trial;
  wrk: WrkResult[];
}

/**
 * On loopback nginx answers in well under a millisecond (wrk's closed-loop p50 at its maximum, 64 connections,
 * was 0.6-1.1 ms in the runs behind docs/PERFORMANCE.md), so a median above 5 ms from the intended send time means most requests left late: the
 * generator, not the target, was the limit, even when it caught up by the end of the window.
 */
export const STRICT_P50_US = 5000;

/** Held: achieved rate within 1% of the target, no errors, no dropped arrivals. */
export function held(r: BuiltinRun): boolean {
  return (
    Math.abs(rateError(r.achievedRps, r.tier.rps)) <= RATE_TOLERANCE && r.errors === 0 && r.dropped === 0
  );
}

export function heldOnTime(r: BuiltinRun): boolean {
  return held(r) && r.p50Us <= STRICT_P50_US;
}

/**
 * The next rate to try, given the highest held and lowest failed so far: grow by 1.5x until something fails,
 * then bisect. Rounded to 50 RPS, since finer steps are below this machine's run-to-run noise.
 */
export function nextRate(
  highestHeld: number | undefined,
  lowestFailed: number | undefined,
  start: number,
): number {
  const round = (x: number) => Math.max(50, Math.round(x / 50) * 50);
  if (lowestFailed === undefined) return highestHeld === undefined ? start : round(highestHeld * 1.5);
  if (highestHeld === undefined) return round(lowestFailed / 2);
  return round((highestHeld + lowestFailed) / 2);
}

/**
 * Searches the highest rate meeting `ok`: growth, then three bisections. Trials already run (by rate) are
 * reused, so a second search with a stricter criterion costs only the rates the first did not try.
 */
async function search(
  ok: (t: Trial) => boolean,
  trialAt: (rps: number) => Promise<Trial>,
  start: number,
  maxTrials: number,
): Promise<void> {
  let hi: number | undefined;
  let lo: number | undefined;
  let bisections = 0;
  for (let i = 0; i < maxTrials; i++) {
    const rps = nextRate(hi, lo, start);
    if ((hi !== undefined && rps <= hi) || (lo !== undefined && rps >= lo)) break; // converged to 50 RPS
    const t = await trialAt(rps);
    if (ok(t)) hi = rps;
    else lo = rps;
    if (lo !== undefined && hi !== undefined && ++bisections > 3) break;
  }
}

export async function measureCapacity(target: NginxTarget, o: CapacityOptions): Promise<Capacity> {
  const trials = new Map<number, Trial>();
  const trialAt = async (rps: number): Promise<Trial> => {
    const cached = trials.get(rps);
    if (cached) return cached;
    const run = await runBuiltin(target.url, benchTier(rps, o.durationSec, o.warmupSec, target.payloadBytes));
    const t = { run, held: held(run), heldOnTime: heldOnTime(run) };
    trials.set(rps, t);
    o.log(
      `  builtin ${rps} RPS: achieved ${run.achievedRps.toFixed(0)} (${fmtPct(rateError(run.achievedRps, rps))}), ` +
        `${run.dropped} dropped, p50 ${fmtUs(run.p50Us)}, p99 ${fmtUs(run.p99Us)}: ` +
        `${t.heldOnTime ? 'held on time' : t.held ? 'held, late' : 'not held'}`,
    );
    return t;
  };
  await search((t) => t.held, trialAt, o.startRps, o.maxTrials);
  await search((t) => t.heldOnTime, trialAt, o.startRps, o.maxTrials);
  const all = [...trials.values()].sort((a, b) => a.run.tier.rps - b.run.tier.rps);
  const best = all.filter((t) => t.held).at(-1);
  const bestOnTime = all.filter((t) => t.heldOnTime).at(-1);
  const conns = [...new Set([16, 64, best?.run.tier.connections ?? 16])].sort((a, b) => a - b);
  const wrk: WrkResult[] = [];
  for (const c of conns) {
    o.log(`  wrk closed loop, ${c} connections...`);
    wrk.push(await runWrk({ url: target.url, connections: c, durationSec: o.wrkDurationSec }));
  }
  return { trials: all, ...(best ? { best } : {}), ...(bestOnTime ? { bestOnTime } : {}), wrk };
}

export function capacityFigures(c: Capacity): Figure[] {
  const section = 'capacity';
  const top = c.wrk.reduce((a, b) => (b.achievedRps > a.achievedRps ? b : a));
  const versus = `wrk max ${top.achievedRps.toFixed(0)} RPS (${top.connections} conns)`;
  const figs: Figure[] = [];
  const describe = (t: Trial | undefined) =>
    t ? `${t.run.tier.rps} RPS (p50 ${fmtUs(t.run.p50Us)}, p99 ${fmtUs(t.run.p99Us)})` : 'none held';
  figs.push({
    section,
    name: 'builtin max rate held within 1%',
    target: '-',
    measured: describe(c.best),
    versus,
    ratio: (c.best?.run.tier.rps ?? 0) / top.achievedRps,
  });
  figs.push({
    section,
    name: `... and on time (p50 <= ${fmtUs(STRICT_P50_US)})`,
    target: '-',
    measured: describe(c.bestOnTime),
    versus,
    ratio: (c.bestOnTime?.run.tier.rps ?? 0) / top.achievedRps,
  });
  const at = c.bestOnTime?.run ?? c.best?.run;
  if (at) {
    const mine = millicoresPer1000Rps(at.cpuSeconds, at.requests);
    const theirs = millicoresPer1000Rps(top.cpuSeconds, top.requests);
    figs.push({
      section,
      name: `engine CPU per 1000 RPS @ ${at.tier.rps} RPS`,
      target: '-',
      measured: `${mine.toFixed(0)} millicores`,
      versus: `wrk at its max ${theirs.toFixed(0)} millicores`,
      ratio: mine / theirs,
    });
  }
  return figs;
}

export function capacityDetail(c: Capacity): string {
  const head = [
    'tool',
    'target RPS',
    'conns',
    'achieved RPS',
    'rate err',
    'p50',
    'p99',
    'dropped',
    'CPU mc/1k RPS',
    'held',
  ];
  const rows = c.trials.map((t) => [
    'builtin',
    String(t.run.tier.rps),
    String(t.run.tier.connections),
    t.run.achievedRps.toFixed(0),
    fmtPct(rateError(t.run.achievedRps, t.run.tier.rps)),
    fmtUs(t.run.p50Us),
    fmtUs(t.run.p99Us),
    String(t.run.dropped),
    millicoresPer1000Rps(t.run.cpuSeconds, t.run.requests).toFixed(0),
    t.heldOnTime ? 'on time' : t.held ? 'late' : 'no',
  ]);
  for (const w of c.wrk)
    rows.push([
      'wrk (closed)',
      'max',
      String(w.connections),
      w.achievedRps.toFixed(0),
      '',
      fmtUs(w.p50Us),
      fmtUs(w.p99Us),
      '',
      millicoresPer1000Rps(w.cpuSeconds, w.requests).toFixed(0),
      '',
    ]);
  return detailTable(head, rows);
}

export async function engineCapacity(o: Partial<CapacityOptions> = {}): Promise<SectionResult> {
  const opts: CapacityOptions = {
    startRps: 2000,
    durationSec: 4,
    warmupSec: 2,
    maxTrials: 14,
    wrkDurationSec: 5,
    log: (s) => process.stderr.write(`${s}\n`),
    ...o,
  };
  const target = await startNginx(1024);
  try {
    opts.log(`capacity: nginx at ${target.url}`);
    const c = await measureCapacity(target, opts);
    return { figures: capacityFigures(c), detail: capacityDetail(c) };
  } finally {
    await target.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`machine: ${describeMachine(machine())}; load average at start ${loadAverage()}`);
  const r = await engineCapacity({
    startRps: argNumber('--start') ?? 2000,
    durationSec: argNumber('--duration') ?? 4,
  });
  console.log(`\n${r.detail}\n\n${textTable(r.figures)}\nload average at end ${loadAverage()}`);
}
