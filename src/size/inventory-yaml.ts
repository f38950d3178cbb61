import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { RawRow } from './inventory-row.js';

/**
 * Rows of a YAML (or JSON) inventory: `services:` a list of mappings. Each row is named by its index and its
 * line, so a problem points at the place to fix. Envoy resources are written the way a container's are:
 * `envoy: {requests: {cpu, memory}, limits: {cpu, memory}}`.
 */
export interface YamlRows {
  rows: RawRow[];
  problems: string[];
}

function flatten(value: unknown, prefix: string, into: Record<string, unknown>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, `${prefix}.${k}`, into);
  } else into[prefix] = value;
}

export function yamlInventoryRows(text: string): YamlRows {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0)
    return { rows: [], problems: doc.errors.map((e) => e.message.split('\n')[0] ?? e.message) };
  const lineOf = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0];
    return offset === undefined ? '' : ` (line ${lineCounter.linePos(offset).line})`;
  };
  const root = doc.contents;
  if (!isMap(root)) {
    return {
      rows: [],
      problems: ['expected a mapping with a `services:` list at the top (see examples/inventory.yaml)'],
    };
  }
  const problems: string[] = [];
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
    if (key !== 'services')
      problems.push(
        `${key}${lineOf(pair.key as Node)}: unknown top-level field (only \`services:\` is read)`,
      );
  }
  const services = root.get('services', true);
  if (!isSeq(services)) {
    problems.push('services: expected a list of services (see examples/inventory.yaml)');
    return { rows: [], problems };
  }
  const rows: RawRow[] = [];
  services.items.forEach((item, i) => {
    const origin = `services[${i}]${lineOf(item as Node)}`;
    if (!isMap(item)) {
      problems.push(`${origin}: expected a mapping of fields (name, namespace, replicas, ...)`);
      return;
    }
    const js = item.toJS(doc) as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(js)) {
      if (k !== 'envoy') values[k] = v;
      else if (v === null || v === undefined) continue;
      else if (typeof v !== 'object' || Array.isArray(v)) {
        problems.push(
          `${origin}: envoy: expected a mapping (requests: {cpu, memory}, limits: {cpu, memory}), got ${JSON.stringify(v)}`,
        );
      } else flatten(v, 'envoy', values);
    }
    rows.push({ origin, values });
  });
  return { rows, problems };
}
