import { afterEach, describe, expect, it } from 'vitest';
import {
  monotonicMs,
  startOverdueWatch,
  type OverdueWatch,
  type WatchPlan,
} from '../../src/engines/builtin/overdue-watch.js';

const watches: OverdueWatch[] = [];
afterEach(async () => {
  await Promise.all(watches.splice(0).map((w) => w.stop()));
});

interface Kick {
  index: number;
  atMs: number;
}

function start(plan: WatchPlan, onKick: (k: Kick, w: OverdueWatch) => void): Promise<OverdueWatch> {
  return new Promise((resolve, reject) => {
    const w = startOverdueWatch(plan, {
      onReady: () => resolve(w),
      onOverdue: (index) => onKick({ index, atMs: monotonicMs() }, w),
      onError: reject,
    });
    watches.push(w);
  });
}

describe('overdue watch thread', () => {
  it(
    'wakes the caller for each arrival left unsent past its grace, on time, and never for one already sent',
    { retry: 2 },
    async () => {
      // 100 RPS, grace 2 ms. The caller "sends" every arrival except 3 and 6 on time (it publishes progress
      // ahead of the watch), and sends 3 and 6 only when woken for them.
      // The first arrival 0.5 s away: a worker thread can take more than 50 ms to start on a busy 2-core box,
      // and an arrival already overdue when the watch comes up is (rightly) kicked for.
      const t0Ms = monotonicMs() + 500;
      const plan: WatchPlan = { t0Ms, rate: 100, total: 9, graceMs: 2, minGapMs: 1 };
      const kicks: Kick[] = [];
      let sentUpTo = 0; // arrivals below this are issued
      const late = new Set([3, 6]);
      let ticker: NodeJS.Timeout | undefined;
      const done = new Promise<void>((resolve) => {
        void start(plan, (k, w) => {
          kicks.push(k);
          sentUpTo = k.index + 1;
          w.issued(sentUpTo);
        }).then((w) => {
          // Every 1 ms, issue whatever is due in the next 5 ms (so that timer lateness here never makes an
          // arrival late), stopping at a late arrival until the watch kicks for it.
          ticker = setInterval(() => {
            const due = Math.floor((monotonicMs() - t0Ms + 5) / 10) + 1;
            while (sentUpTo < Math.min(due, plan.total) && !late.has(sentUpTo)) sentUpTo++;
            w.issued(sentUpTo);
            if (sentUpTo >= plan.total) resolve();
          }, 1);
        });
      });
      try {
        await done;
      } finally {
        clearInterval(ticker);
      }
      expect(kicks.map((k) => k.index)).toEqual([3, 6]);
      for (const k of kicks) {
        const overdueAt = t0Ms + k.index * 10 + 2;
        expect(k.atMs).toBeGreaterThanOrEqual(overdueAt);
        // The wake-up itself (futex, ~0.1 ms) plus a message to this thread's event loop; 5 ms leaves room for
        // a loaded 2-core box.
        expect(k.atMs - overdueAt).toBeLessThan(5);
      }
    },
  );

  it('stops: stop() resolves with the thread gone, even while it sleeps, and a second stop() is a no-op', async () => {
    const kicks: Kick[] = [];
    // The first arrival is an hour away: the thread sleeps in Atomics.wait when stop() comes.
    const w = await start(
      { t0Ms: monotonicMs() + 3_600_000, rate: 1, total: 1, graceMs: 1, minGapMs: 1 },
      (k) => kicks.push(k),
    );
    const t = monotonicMs();
    await w.stop();
    await w.stop();
    expect(monotonicMs() - t).toBeLessThan(1000);
    expect(kicks).toEqual([]);
  });
});
