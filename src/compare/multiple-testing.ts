/**
 * Benjamini-Hochberg step-up procedure (Benjamini & Hochberg 1995, JRSS B 57(1):289-300): sort the m
 * p-values ascending, find the largest rank k with p_(k) <= k q / m, and reject the hypotheses of ranks 1..k.
 * It keeps the expected share of false discoveries among the rejections at or below q for independent or
 * positively dependent tests (Benjamini & Yekutieli 2001) — the metrics of one run move together, which is
 * positive dependence. When nothing changed at all, every rejection is false, so the chance of calling
 * ANYTHING a change is then at most q: what a nightly job needs so that it does not cry wolf.
 *
 * Returns, per input p-value, whether it is rejected (a discovery). Ties and NaN: NaN is never rejected.
 */
export function benjaminiHochberg(pValues: readonly number[], q: number): boolean[] {
  if (!(q > 0 && q < 1)) throw new Error(`q must be in (0, 1), got ${q}`);
  const m = pValues.length;
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter((x) => !Number.isNaN(x.p))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  let k = 0;
  order.forEach((x, rank) => {
    if (x.p <= ((rank + 1) * q) / m) k = rank + 1;
  });
  const rejected = new Array<boolean>(m).fill(false);
  for (const x of order.slice(0, k)) rejected[x.i] = true;
  return rejected;
}
