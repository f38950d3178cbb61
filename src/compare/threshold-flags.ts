import { UserError } from '../errors.js';
import { describeIssue } from '../spec/validate.js';
import { THRESHOLD_KEYS, thresholdsSchema, type ThresholdKey, type Thresholds } from './thresholds.js';

const FIELDS = ['relative', 'absolute'] as const;

/** "10%" -> 0.1, "0.1" -> 0.1; null when not a number. */
function parseNumber(text: string): number | null {
  const t = text.trim();
  const percent = t.endsWith('%');
  const n = Number(percent ? t.slice(0, -1) : t);
  if (t === '' || t === '%' || !Number.isFinite(n)) return null;
  return percent ? n / 100 : n;
}

/**
 * Lays `--threshold <metric>.<relative|absolute>=<value>` flags (and `--confidence`) over the thresholds of
 * the candidate's spec. Relative values take "10%" or "0.1"; absolute values are in the metric's unit.
 * The result is validated like the spec's own thresholds; every problem is listed in one UserError.
 */
export function applyThresholdFlags(
  base: Thresholds,
  flags: readonly string[],
  confidence?: string,
): Thresholds {
  const problems: string[] = [];
  const next = structuredClone(base) as Thresholds;
  for (const flag of flags) {
    const m = /^([A-Za-z0-9]+)\.([a-z]+)=(.*)$/.exec(flag.trim());
    if (!m) {
      problems.push(
        `--threshold '${flag}': expected <metric>.<relative|absolute>=<value>, e.g. addedP99.relative=5%`,
      );
      continue;
    }
    const [, key = '', field = '', value = ''] = m;
    if (!(THRESHOLD_KEYS as readonly string[]).includes(key)) {
      problems.push(`--threshold '${flag}': unknown metric '${key}' (one of ${THRESHOLD_KEYS.join(', ')})`);
      continue;
    }
    if (!(FIELDS as readonly string[]).includes(field)) {
      problems.push(`--threshold '${flag}': '${field}' is not relative or absolute`);
      continue;
    }
    const n = parseNumber(value);
    if (n === null) {
      problems.push(`--threshold '${flag}': '${value}' is not a number`);
      continue;
    }
    next[key as ThresholdKey][field as (typeof FIELDS)[number]] = n;
  }
  if (confidence !== undefined) {
    const n = parseNumber(confidence);
    if (n === null) problems.push(`--confidence '${confidence}' is not a number`);
    else next.confidence = n;
  }
  if (problems.length === 0) {
    const parsed = thresholdsSchema.safeParse(next);
    if (parsed.success) return parsed.data;
    problems.push(...parsed.error.issues.map((i) => `thresholds.${describeIssue(i)}`));
  }
  throw new UserError(
    'the regression thresholds are not valid',
    problems,
    'relative thresholds are fractions (0.1 or 10%), absolute ones are in the unit of the metric; confidence is in (0.5, 1)',
  );
}
