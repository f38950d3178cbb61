/* Known answers for native/early-wake.h, run by test/unit/native-early-wake.test.ts: prints one line per case. */
#include <stdio.h>
#include "../../native/early-wake.h"

static void feed(early_wake_t *w, const uint64_t *late_ns, int n) {
  for (int i = 0; i < n; i++) ew_record(w, 1000000, 1000000 + late_ns[i]);
}

int main(void) {
  early_wake_t w;
  ew_init(&w);
  printf("initial %llu\n", (unsigned long long)w.margin);

  /* 32 wake-ups 10 us late: p75 10 us + 15 us pad = 25 us. */
  uint64_t ten[32];
  for (int i = 0; i < 32; i++) ten[i] = 10000;
  feed(&w, ten, 32);
  printf("steady10us %llu\n", (unsigned long long)w.margin);

  /* 1..32 us late, shuffled: the 75th percentile of 32 (index 24 sorted) is 25 us; + 15 = 40 us. */
  ew_init(&w);
  uint64_t mixed[32];
  for (int i = 0; i < 32; i++) mixed[i] = (uint64_t)(((i * 7) % 32) + 1) * 1000;
  feed(&w, mixed, 32);
  printf("mixed %llu\n", (unsigned long long)w.margin);

  /* Early wake-ups (lateness 0) floor at EW_MIN_NS. */
  ew_init(&w);
  uint64_t zero[32] = {0};
  feed(&w, zero, 32);
  printf("floor %llu\n", (unsigned long long)w.margin);

  /* Millisecond stalls cap at EW_MAX_NS. */
  ew_init(&w);
  uint64_t stall[32];
  for (int i = 0; i < 32; i++) stall[i] = 2000000;
  feed(&w, stall, 32);
  printf("cap %llu\n", (unsigned long long)w.margin);

  /* A few stalls among 32 steady wake-ups do not move the 75th percentile: 5 of 32 at 5 ms, rest 10 us. */
  ew_init(&w);
  for (int i = 0; i < 32; i++) ten[i] = i % 7 == 0 ? 5000000 : 10000;
  feed(&w, ten, 32);
  printf("rare-stalls %llu\n", (unsigned long long)w.margin);

  /* The window slides: after 32 newer 10 us wake-ups the old stalls are forgotten. */
  ew_init(&w);
  feed(&w, stall, 32);
  for (int i = 0; i < 32; i++) ten[i] = 10000;
  feed(&w, ten, 32);
  printf("forgets %llu\n", (unsigned long long)w.margin);
  return 0;
}
