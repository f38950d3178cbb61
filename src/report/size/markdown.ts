import type { SizingReport } from '../../size/types.js';
import { mdItem, mdText } from '../shared/markdown-escape.js';
import { extrapolationCallout } from './format.js';
import { omittedNote, shownSizing } from './shown.js';
import { intro, MODELS_NOTE, modelsTable, modeTable, totalsTable } from './tables.js';
import { markdownTableOf, type TableData } from '../shared/table.js';

const table = (t: TableData) => markdownTableOf(t);
// Bullets carry names and paths from the inventory and results files: escaped (markdown-escape.ts).
const bullets = (items: readonly string[]) => items.map((a) => `- ${mdItem(a)}`).join('\n');

function head(r: SizingReport): string[] {
  const out = [`# Proxy sizing: ${mdText(r.inventory.source)}`, '', mdText(intro(r)), ''];
  const callout = extrapolationCallout(r);
  if (callout) out.push(`> ${mdText(callout)}`, '');
  out.push('## Totals per mode', '', table(totalsTable(r)), '');
  if (r.unsized.length > 0)
    out.push('Not sized:', '', bullets(r.unsized.map((u) => `${u.mode}: ${u.reason}`)), '');
  return out;
}

/** The summary `meshbench size` prints: totals, what is extrapolated, and the assumptions. */
export function renderSizingSummary(r: SizingReport): string {
  return [...head(r), '## Assumptions', '', bullets(r.assumptions), ''].join('\n');
}

/**
 * The whole sizing as Markdown: the summary plus requests and limits per proxy, the models, the warnings. A
 * large inventory shows each mode's largest rows only (shown.ts); sizing.csv has them all.
 */
export function renderSizingMarkdown(full: SizingReport): string {
  const r = shownSizing(full);
  const out = head(r);
  for (const m of r.modes) {
    out.push(`## ${m.mode}: ${mdText(m.title)}`, '');
    const note = omittedNote(r, m.mode);
    if (note) out.push(note, '');
    out.push(table(modeTable(m)), '');
  }
  out.push('## Models', '', mdText(MODELS_NOTE), '', table(modelsTable(r)), '');
  out.push('## Assumptions', '', bullets(r.assumptions), '');
  if (r.inventory.notes.length > 0) out.push('## Inventory notes', '', bullets(r.inventory.notes), '');
  if (r.warnings.length > 0) out.push('## Warnings', '', bullets(r.warnings), '');
  return out.join('\n');
}
