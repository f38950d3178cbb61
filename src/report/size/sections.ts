import type { TableData } from '../shared/table.js';
import { extrapolationCallout } from './format.js';
import type { ShownSizing } from './shown.js';
import { omittedNote } from './shown.js';
import { intro, MODELS_NOTE, modelsTable, modeTable, totalsTable } from './tables.js';

/**
 * What a sizing section holds, in order. sizing.md and sizing.html serialise the same blocks, so a title,
 * note or table is written once here. Texts may carry names and paths from the inventory and results files:
 * each serialiser escapes them for its own format.
 */
export type SizingBlock =
  | { kind: 'text'; text: string }
  /** What a large inventory's tables leave out: a note of meshbench's own, set apart in the page. */
  | { kind: 'note'; text: string }
  | { kind: 'table'; table: TableData }
  | { kind: 'list'; items: string[] }
  /** Where the page draws a chart (sizing.md has none). */
  | { kind: 'chart'; chart: 'size-cost' | 'size-models' };

export interface SizingSection {
  id: 'totals' | 'mode' | 'models' | 'assumptions' | 'inventory-notes' | 'warnings';
  title: string;
  blocks: SizingBlock[];
}

export interface SizingDocument {
  title: string;
  intro: string;
  /** The extrapolation warning, above everything else; null when nothing is extrapolated. */
  callout: string | null;
  sections: SizingSection[];
}

/** The sizing, once, as data (from a shown sizing: a large inventory's rows already cut, shown.ts). */
export function sizingDocument(r: ShownSizing): SizingDocument {
  const sections: SizingSection[] = [
    {
      id: 'totals',
      title: 'Totals per mode',
      blocks: [
        { kind: 'table', table: totalsTable(r) },
        ...(r.unsized.length > 0
          ? [
              { kind: 'text', text: 'Not sized:' } as const,
              { kind: 'list', items: r.unsized.map((u) => `${u.mode}: ${u.reason}`) } as const,
            ]
          : []),
        { kind: 'chart', chart: 'size-cost' },
      ],
    },
    ...r.modes.map((m): SizingSection => {
      const note = omittedNote(r, m.mode);
      return {
        id: 'mode',
        title: `${m.mode}: ${m.title}`,
        blocks: [
          ...(note ? [{ kind: 'note', text: note } as const] : []),
          { kind: 'table', table: modeTable(m) },
        ],
      };
    }),
    {
      id: 'models',
      title: 'Models',
      blocks: [
        { kind: 'text', text: MODELS_NOTE },
        { kind: 'table', table: modelsTable(r) },
        { kind: 'chart', chart: 'size-models' },
      ],
    },
    { id: 'assumptions', title: 'Assumptions', blocks: [{ kind: 'list', items: r.assumptions }] },
    ...(r.inventory.notes.length > 0
      ? [
          {
            id: 'inventory-notes',
            title: 'Inventory notes',
            blocks: [{ kind: 'list', items: r.inventory.notes }],
          } satisfies SizingSection,
        ]
      : []),
    ...(r.warnings.length > 0
      ? [
          {
            id: 'warnings',
            title: 'Warnings',
            blocks: [{ kind: 'list', items: r.warnings }],
          } satisfies SizingSection,
        ]
      : []),
  ];
  return {
    title: `Proxy sizing: ${r.inventory.source}`,
    intro: intro(r),
    callout: extrapolationCallout(r),
    sections,
  };
}
