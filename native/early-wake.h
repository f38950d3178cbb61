/*
 * How early to wake for a deadline, learnt from how late this machine's wake-ups have been. A thread that
 * sleeps until a deadline (epoll_pwait2, 1 ns timer slack) wakes late by the timer's and the scheduler's delay:
 * 10-30 us on an idle VM, 50-100 us at the median and milliseconds at the tail on a busy 2-core one, and more
 * after long sleeps. So the sleep ends early by a margin and the rest is spun. The margin is the 75th
 * percentile of the last EW_SAMPLES wake-ups' lateness plus EW_PAD_NS, between EW_MIN_NS and EW_MAX_NS: wide
 * enough to absorb the usual delay, not so wide that spinning for rare stalls eats a core the proxies need.
 */
#ifndef MESHBENCH_EARLY_WAKE_H
#define MESHBENCH_EARLY_WAKE_H

#include <stdint.h>
#include <string.h>

#define EW_SAMPLES 32
#define EW_MIN_NS 20000ull
#define EW_MAX_NS 250000ull
#define EW_PAD_NS 15000ull

typedef struct {
  uint64_t late[EW_SAMPLES];
  int n, next;
  uint64_t margin; /* current early-wake margin, ns */
} early_wake_t;

static inline void ew_init(early_wake_t *w) {
  memset(w, 0, sizeof *w);
  w->margin = 50000ull;
}

/* Records one wake-up that was aimed at `aimed` and happened at `woke` (both CLOCK_MONOTONIC ns). */
static inline void ew_record(early_wake_t *w, uint64_t aimed, uint64_t woke) {
  w->late[w->next] = woke > aimed ? woke - aimed : 0;
  w->next = (w->next + 1) % EW_SAMPLES;
  if (w->n < EW_SAMPLES) w->n++;
  /* 75th percentile by partial selection over a copy (32 values: cheaper than keeping them sorted). */
  uint64_t v[EW_SAMPLES];
  memcpy(v, w->late, sizeof(uint64_t) * (size_t)w->n);
  int k = (w->n * 3) / 4;
  for (int i = 0; i <= k; i++) {
    int m = i;
    for (int j = i + 1; j < w->n; j++)
      if (v[j] < v[m]) m = j;
    uint64_t t = v[i];
    v[i] = v[m];
    v[m] = t;
  }
  uint64_t margin = v[k] + EW_PAD_NS;
  w->margin = margin < EW_MIN_NS ? EW_MIN_NS : margin > EW_MAX_NS ? EW_MAX_NS : margin;
}

#endif
