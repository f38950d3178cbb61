import type { ProxyRow } from '../../size/proxy-rows.js';
import type { SizingReport } from '../../size/types.js';
import { formatCount } from '../shared/format.js';

/**
 * What sizing.md, sizing.html and sizing.json show of a large inventory, so that they stay proportionate
 * (100,000 services would otherwise make each of them hundreds of megabytes): every total, model, point and
 * assumption, and per mode at most SHOWN_ROWS rows: those with the largest CPU requests in total, largest
 * first. sizing.csv always has every row. An inventory within the limit is shown whole, in its own order.
 */
export const SHOWN_ROWS = 200;
/** Lists of names or notes (services on App Mesh defaults, inventory notes, warnings) are cut as well. */
export const SHOWN_ITEMS = 50;

/** A sizing as the proportionate outputs show it: rows and lists cut, with how much was left out. */
export type ShownSizing = SizingReport & {
  /** Per mode (in `modes` order): rows left out of `rows`, all in sizing.csv. Absent when nothing was cut. */
  rowsOmitted?: Record<string, number>;
  /** Entries left out of today.services, today.assumedDefaults, today.notInMesh and extrapolated. */
  listsOmitted?: Record<string, number>;
};

function largestFirst(a: ProxyRow, b: ProxyRow): number {
  return (
    b.reserved.cpuMillicores - a.reserved.cpuMillicores ||
    b.reserved.memMiB - a.reserved.memMiB ||
    `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`)
  );
}

/** The `n` largest rows, largest first (a partial selection, not a full sort of every row). */
function largest(rows: readonly ProxyRow[], n: number): ProxyRow[] {
  const top: ProxyRow[] = [];
  for (const r of rows) {
    if (top.length === n && largestFirst(r, top[n - 1] as ProxyRow) >= 0) continue;
    let i = top.length;
    while (i > 0 && largestFirst(r, top[i - 1] as ProxyRow) < 0) i--;
    top.splice(i, 0, r);
    if (top.length > n) top.pop();
  }
  return top;
}

function cutList<T>(items: readonly T[], name: string, omitted: Record<string, number>): T[] {
  if (items.length <= SHOWN_ITEMS) return [...items];
  omitted[name] = items.length - SHOWN_ITEMS;
  return items.slice(0, SHOWN_ITEMS);
}

function cutNotes(items: readonly string[]): string[] {
  if (items.length <= SHOWN_ITEMS) return [...items];
  return [...items.slice(0, SHOWN_ITEMS), `… and ${items.length - SHOWN_ITEMS} more`];
}

export function shownSizing(r: SizingReport, limit = SHOWN_ROWS): ShownSizing {
  const rowsOmitted: Record<string, number> = {};
  const listsOmitted: Record<string, number> = {};
  const modes = r.modes.map((m) => {
    if (m.rows.length <= limit) return m;
    rowsOmitted[m.mode] = m.rows.length - limit;
    return { ...m, rows: largest(m.rows, limit) };
  });
  const shown: ShownSizing = {
    ...r,
    inventory: { ...r.inventory, notes: cutNotes(r.inventory.notes) },
    modes,
    today: {
      ...r.today,
      // The services with the largest reservation today, when they must be cut.
      services:
        r.today.services.length <= SHOWN_ITEMS
          ? r.today.services
          : cutList(
              [...r.today.services].sort((a, b) => b.reserved.cpuMillicores - a.reserved.cpuMillicores),
              'today.services',
              listsOmitted,
            ),
      assumedDefaults: cutList(r.today.assumedDefaults, 'today.assumedDefaults', listsOmitted),
      notInMesh: cutList(r.today.notInMesh, 'today.notInMesh', listsOmitted),
    },
    extrapolated: cutList(r.extrapolated, 'extrapolated', listsOmitted),
    warnings: cutNotes(r.warnings),
  };
  if (Object.keys(rowsOmitted).length > 0) shown.rowsOmitted = rowsOmitted;
  if (Object.keys(listsOmitted).length > 0) shown.listsOmitted = listsOmitted;
  return shown;
}

/** "Showing the 200 of 100,000 rows with the largest CPU requests; every row is in sizing.csv." */
export function omittedNote(s: ShownSizing, mode: string): string | null {
  const left = s.rowsOmitted?.[mode];
  if (!left) return null;
  const shownRows = s.modes.find((m) => m.mode === mode)?.rows.length ?? 0;
  const total = shownRows + left;
  return `Showing the ${formatCount(shownRows)} of ${formatCount(total)} rows with the largest CPU requests in total, largest first; every row is in sizing.csv.`;
}
