import { isMap, LineCounter, parseDocument, type Node } from 'yaml';
import { UserError } from '../errors.js';
import { parseCsv } from './csv-parse.js';
import { LABEL, RowChecker, SUBDOMAIN, type RawRow, type RowField } from './inventory-row.js';
import type { InventoryFormat } from './inventory-parse.js';

/**
 * `--rps <file>` for `--from-cluster`: the RPS per pod of each Deployment to size, which a cluster cannot tell.
 * YAML: a mapping `namespace/name: {peakRpsPerPod, avgRpsPerPod}`; CSV: columns namespace, name,
 * peakRpsPerPod, avgRpsPerPod. Only the Deployments listed are sized.
 */
export interface RpsEntry {
  namespace: string;
  name: string;
  peakRpsPerPod: number;
  avgRpsPerPod: number;
  origin: string;
}

const RPS_FIELDS: readonly RowField[] = ['namespace', 'name', 'peakRpsPerPod', 'avgRpsPerPod'];

function yamlRows(text: string): { rows: RawRow[]; problems: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0)
    return { rows: [], problems: doc.errors.map((e) => e.message.split('\n')[0] ?? e.message) };
  if (!isMap(doc.contents))
    return { rows: [], problems: ['expected a mapping of namespace/name to {peakRpsPerPod, avgRpsPerPod}'] };
  const rows: RawRow[] = [];
  const problems: string[] = [];
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as Node | null;
    const key = String((keyNode as { value?: unknown } | null)?.value ?? '');
    const offset = keyNode?.range?.[0];
    const origin = `${key}${offset !== undefined ? ` (line ${lineCounter.linePos(offset).line})` : ''}`;
    const [namespace, name, ...rest] = key.split('/');
    if (!namespace || !name || rest.length > 0) {
      problems.push(`${origin}: expected a key of the form namespace/name`);
      continue;
    }
    const value = (pair.value as { toJS?: (d: unknown) => unknown } | null)?.toJS?.(doc);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${origin}: expected {peakRpsPerPod: <number>, avgRpsPerPod: <number>}`);
      continue;
    }
    rows.push({ origin, values: { namespace, name, ...(value as Record<string, unknown>) } });
  }
  return { rows, problems };
}

function csvRows(text: string): { rows: RawRow[]; problems: string[] } {
  const { records, error } = parseCsv(text);
  if (error) return { rows: [], problems: [error] };
  const [header, ...data] = records;
  if (!header)
    return {
      rows: [],
      problems: ['the file is empty: expected a header namespace,name,peakRpsPerPod,avgRpsPerPod'],
    };
  return {
    rows: data.map((r) => ({
      origin: `line ${r.line}`,
      values: Object.fromEntries(header.fields.map((c, i) => [c, r.fields[i] ?? ''])),
    })),
    problems: [],
  };
}

export function parseRpsFile(text: string, format: InventoryFormat, source: string): RpsEntry[] {
  const read = format === 'csv' ? csvRows(text) : yamlRows(text);
  const problems = [...read.problems];
  const entries: RpsEntry[] = [];
  const seen = new Set<string>();
  for (const row of read.rows) {
    const c = new RowChecker(row, RPS_FIELDS);
    const namespace = c.name('namespace', LABEL, 'Kubernetes namespace');
    const name = c.name('name', SUBDOMAIN, 'Kubernetes name');
    const peak = c.number('peakRpsPerPod', { required: true, min: 0, max: 10_000_000 });
    const avg = c.number('avgRpsPerPod', { required: true, min: 0, max: 10_000_000 });
    if (peak !== undefined && avg !== undefined && avg > peak)
      c.problem('avgRpsPerPod', `the average (${avg}) is above the peak (${peak})`);
    const key = `${namespace ?? '?'}/${name ?? '?'}`;
    problems.push(...c.problems.map((p) => `${row.origin} (${key}): ${p}`));
    if (c.problems.length > 0 || !namespace || !name || peak === undefined || avg === undefined) continue;
    if (seen.has(key)) {
      problems.push(`${row.origin} (${key}): listed twice`);
      continue;
    }
    seen.add(key);
    entries.push({ namespace, name, peakRpsPerPod: peak, avgRpsPerPod: avg, origin: row.origin });
  }
  if (read.rows.length === 0 && problems.length === 0)
    problems.push('no entries: list the Deployments to size');
  if (problems.length > 0) {
    throw new UserError(
      `RPS file ${source} is not valid (${problems.length} problem${problems.length > 1 ? 's' : ''})`,
      problems.slice(0, 30),
      'see docs/SIZING.md (--from-cluster): one entry per Deployment, namespace/name: {peakRpsPerPod, avgRpsPerPod}',
    );
  }
  return entries;
}
