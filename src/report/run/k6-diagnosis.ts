import { diagnoseK6, type K6Diagnosis } from '../../engines/k6/diagnosis.js';
import type { ResultsFile } from '../../results/schema.js';
import type { ListItem } from '../shared/list.js';

/** Lead-in of the list: what the diagnosis looks at. */
export const K6_DIAGNOSIS_INTRO =
  'Repetitions where k6 dropped arrivals or missed its rate, with what k6 had to work with: its VUs (vus_max against ' +
  'the VUs it pre-allocated and the maxVUs it may use) and its CPU (its own CPU time and the host\u2019s against the ' +
  'window and the cores), and what to change.';

function causeLabel(d: K6Diagnosis): string {
  if (d.causes.length === 0) return 'k6 was not the limit';
  return d.causes.map((c) => (c === 'cpu' ? 'k6 short of CPU' : 'k6 short of VUs')).join(', ');
}

/**
 * One entry per k6 repetition that dropped arrivals or missed its rate (src/engines/k6/diagnosis.ts), in results
 * order, its findings and fixes nested; none for the builtin engine.
 */
export function k6DiagnosisList(results: ResultsFile, rateTolerance: number): ListItem[] {
  const items: ListItem[] = [];
  for (const c of results.cells) {
    if (c.status !== 'ok' || c.latency === undefined) continue;
    const d = diagnoseK6(c.latency, rateTolerance);
    if (d === undefined) continue;
    items.push({
      content: [{ strong: [`${c.mode} / ${c.tier} / repetition ${c.repetition}`] }, `: ${causeLabel(d)}`],
      items: [
        ...d.findings.map((f) => ({ content: [f] })),
        ...d.fixes.map((f) => ({ content: [`what to change: ${f}`] })),
      ],
    });
  }
  return items;
}
