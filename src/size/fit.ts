import { linearRegression, linearRegressionLine, rSquared } from 'simple-statistics';

/**
 * usage(rps) = intercept + slopePerRps x rps, fitted by least squares (simple-statistics linearRegression) and
 * judged by r^2 (rSquared). With a single RPS level there is no slope to fit: CPU is then taken as
 * proportional to RPS (CPU is work, and work grows with requests), memory as flat; r^2 is then undefined.
 */
export interface LinearFit {
  intercept: number;
  slopePerRps: number;
  /** Coefficient of determination of the least-squares line; null when the fit is not least squares. */
  r2: number | null;
  method: 'least-squares' | 'proportional' | 'flat';
}

export function fitLine(
  points: readonly (readonly [number, number])[],
  singleLevel: 'proportional' | 'flat',
): LinearFit {
  if (points.length === 0) throw new Error('fitLine: no points');
  const xs = new Set(points.map(([x]) => x));
  const meanY = points.reduce((s, [, y]) => s + y, 0) / points.length;
  if (xs.size < 2) {
    const x0 = points[0]?.[0] ?? 0;
    if (singleLevel === 'proportional' && x0 > 0)
      return { intercept: 0, slopePerRps: meanY / x0, r2: null, method: 'proportional' };
    return { intercept: meanY, slopePerRps: 0, r2: null, method: 'flat' };
  }
  const data = points.map(([x, y]) => [x, y]);
  const mb = linearRegression(data);
  const r2raw = rSquared(data, linearRegressionLine(mb));
  // With no variance in y the line is flat through every point: r^2 is 0/0, and the fit is exact.
  const r2 = Number.isFinite(r2raw) ? r2raw : 1;
  return { intercept: mb.b, slopePerRps: mb.m, r2, method: 'least-squares' };
}

/** The fit at `rps`, never below zero (a negative intercept or slope would otherwise predict negative usage). */
export function predict(fit: LinearFit, rps: number): number {
  return Math.max(0, fit.intercept + fit.slopePerRps * rps);
}
