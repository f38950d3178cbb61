import { parseQuantity } from '../units/quantity.js';
import {
  APPMESH_DEFAULT_REQUESTS,
  serviceKey,
  type ContainerResources,
  type EnvoyToday,
  type InventoryService,
} from './inventory.js';

/**
 * Validation of inventory rows, shared by the YAML and CSV readers: every problem of every row is collected
 * (not only the first), each naming the row and the field as the user wrote it.
 */

/** The fields of a row, as CSV column names. YAML writes the Envoy fields nested (ROW_ALIASES). */
export const ROW_FIELDS = [
  'name',
  'namespace',
  'replicas',
  'peakRpsPerPod',
  'avgRpsPerPod',
  'podsPerNode',
  'nodes',
  'instanceType',
  'envoyCpuRequest',
  'envoyMemoryRequest',
  'envoyCpuLimit',
  'envoyMemoryLimit',
] as const;
export type RowField = (typeof ROW_FIELDS)[number];

/** YAML's nested spelling of the Envoy fields (the shape of a container's `resources`). */
export const ROW_ALIASES: Readonly<Record<string, RowField>> = {
  'envoy.requests.cpu': 'envoyCpuRequest',
  'envoy.requests.memory': 'envoyMemoryRequest',
  'envoy.limits.cpu': 'envoyCpuLimit',
  'envoy.limits.memory': 'envoyMemoryLimit',
};

/** One row as read, before validation. Values are keyed by the field as written (a ROW_FIELDS name or alias). */
export interface RawRow {
  /** Where the row is: "line 4", "services[2] (line 7)". */
  origin: string;
  values: Record<string, unknown>;
}

export interface RowsResult {
  services: InventoryService[];
  problems: string[];
}

// Kubernetes object names: a Deployment's name is a DNS-1123 subdomain, a namespace a DNS-1123 label
// (kubernetes.io/docs/concepts/overview/working-with-objects/names).
export const SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
export const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function shown(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v));
}

/** Every spelling of every field (name or YAML alias) to the field it means. */
const FIELD_OF: ReadonlyMap<string, RowField> = new Map<string, RowField>([
  ...ROW_FIELDS.map((f) => [f, f] as const),
  ...Object.entries(ROW_ALIASES),
]);
const ALL_FIELDS: ReadonlySet<RowField> = new Set(ROW_FIELDS);

/** Reads and checks the fields of one row, collecting a problem per bad field. */
export class RowChecker {
  readonly problems: string[] = [];
  // Plain objects, not a Map of entries: 100,000 rows make these the bulk of what a large inventory allocates.
  private readonly labels: Partial<Record<RowField, string>> = {};
  private readonly values: Partial<Record<RowField, unknown>> = {};

  constructor(
    private readonly row: RawRow,
    allowed: readonly RowField[] = ROW_FIELDS,
  ) {
    const allowedSet = allowed === ROW_FIELDS ? ALL_FIELDS : new Set(allowed);
    for (const label of Object.keys(row.values)) {
      const known = FIELD_OF.get(label);
      const field = known !== undefined && allowedSet.has(known) ? known : undefined;
      if (!field) {
        const aliases =
          allowed === ROW_FIELDS
            ? '; in YAML the Envoy fields may also be written envoy.requests.cpu etc.'
            : '';
        this.problems.push(`${label}: unknown field (known: ${allowed.join(', ')}${aliases})`);
        continue;
      }
      const earlier = this.labels[field];
      if (earlier !== undefined) {
        this.problems.push(`${label}: given twice (also as ${earlier})`);
        continue;
      }
      this.labels[field] = label;
      this.values[field] = row.values[label];
    }
  }

  label(field: RowField): string {
    return this.labels[field] ?? field;
  }

  has(field: RowField): boolean {
    return !isAbsent(this.values[field]);
  }

  private fail(field: RowField, message: string): undefined {
    this.problems.push(`${this.label(field)}: ${message}`);
    return undefined;
  }

  name(field: RowField, pattern: RegExp, what: string): string | undefined {
    const v = this.values[field];
    if (isAbsent(v)) return this.fail(field, 'missing (required)');
    if (typeof v !== 'string') return this.fail(field, `expected a ${what}, got ${shown(v)}`);
    const s = v.trim();
    if (!pattern.test(s)) {
      return this.fail(
        field,
        `${shown(v)} is not a valid ${what} (lower-case letters, digits and '-'${field === 'name' ? " or '.'" : ''}, starting and ending with a letter or digit)`,
      );
    }
    return s;
  }

  text(field: RowField): string | null | undefined {
    const v = this.values[field];
    if (isAbsent(v)) return null;
    if (typeof v !== 'string' && typeof v !== 'number')
      return this.fail(field, `expected text, got ${shown(v)}`);
    return String(v).trim();
  }

  /** A number (a YAML number or numeric text); absent: undefined without a problem unless required. */
  number(
    field: RowField,
    o: { required: boolean; integer?: boolean; min: number; max: number },
  ): number | undefined {
    const v = this.values[field];
    if (isAbsent(v)) return o.required ? this.fail(field, 'missing (required)') : undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : Number.NaN;
    const kind = o.integer ? 'a whole number' : 'a number';
    if (!Number.isFinite(n)) return this.fail(field, `expected ${kind}, got ${shown(v)}`);
    if (o.integer && !Number.isInteger(n)) return this.fail(field, `expected ${kind}, got ${shown(v)}`);
    if (n < o.min || n > o.max) return this.fail(field, `${n} is out of range (${o.min} to ${o.max})`);
    return n;
  }

  /** A Kubernetes quantity ("100m", "0.5", "128Mi"), in millicores or MiB; absent: undefined. */
  quantity(field: RowField, kind: 'cpu' | 'memory'): number | undefined {
    const v = this.values[field];
    if (isAbsent(v)) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number')
      return this.fail(field, `expected a Kubernetes quantity, got ${shown(v)}`);
    let base: number;
    try {
      base = parseQuantity(typeof v === 'string' ? v.trim() : v);
    } catch {
      const eg = kind === 'cpu' ? "'100m' or '0.5'" : "'128Mi' or '1Gi'";
      return this.fail(field, `${shown(v)} is not a Kubernetes quantity (e.g. ${eg})`);
    }
    if (base < 0) return this.fail(field, `${shown(v)} is negative`);
    return kind === 'cpu' ? base * 1000 : base / 2 ** 20;
  }

  problem(field: RowField, message: string): void {
    this.fail(field, message);
  }

  get origin(): string {
    return this.row.origin;
  }
}

function envoyOf(c: RowChecker): EnvoyToday {
  const cpuReq = c.quantity('envoyCpuRequest', 'cpu');
  const memReq = c.quantity('envoyMemoryRequest', 'memory');
  const cpuLim = c.quantity('envoyCpuLimit', 'cpu');
  const memLim = c.quantity('envoyMemoryLimit', 'memory');
  if (cpuReq !== undefined && cpuLim !== undefined && cpuLim < cpuReq) {
    c.problem(
      'envoyCpuLimit',
      `the limit (${cpuLim}m) is below the request (${cpuReq}m); Kubernetes rejects that`,
    );
  }
  if (memReq !== undefined && memLim !== undefined && memLim < memReq) {
    c.problem(
      'envoyMemoryLimit',
      `the limit (${memLim}Mi) is below the request (${memReq}Mi); Kubernetes rejects that`,
    );
  }
  const limits: ContainerResources = {
    ...(cpuLim !== undefined ? { cpuMillicores: cpuLim } : {}),
    ...(memLim !== undefined ? { memMiB: memLim } : {}),
  };
  // A request the inventory leaves out is what the App Mesh controller injects for it: its default request,
  // per resource (capped by a stated limit, since a request above the limit would be rejected).
  const assumed: EnvoyToday['assumed'] = [];
  const pick = (
    req: number | undefined,
    lim: number | undefined,
    kind: 'cpu' | 'memory',
    dflt: number,
  ): number => {
    if (req !== undefined) return req;
    assumed.push(kind);
    return lim !== undefined ? Math.min(lim, dflt) : dflt;
  };
  return {
    source: 'inventory',
    requests: {
      cpuMillicores: pick(cpuReq, cpuLim, 'cpu', APPMESH_DEFAULT_REQUESTS.cpuMillicores),
      memMiB: pick(memReq, memLim, 'memory', APPMESH_DEFAULT_REQUESTS.memMiB),
    },
    limits,
    assumed,
  };
}

function checkRow(row: RawRow): { service?: InventoryService; problems: string[] } {
  const c = new RowChecker(row);
  const name = c.name('name', SUBDOMAIN, 'Kubernetes name');
  const namespace = c.name('namespace', LABEL, 'Kubernetes namespace');
  const replicas = c.number('replicas', { required: true, integer: true, min: 1, max: 100_000 });
  const peak = c.number('peakRpsPerPod', { required: true, min: 0, max: 10_000_000 });
  const avg = c.number('avgRpsPerPod', { required: true, min: 0, max: 10_000_000 });
  if (peak !== undefined && avg !== undefined && avg > peak) {
    c.problem(
      'avgRpsPerPod',
      `the average (${avg}) is above the peak (${peak}); swap them or check the units`,
    );
  }
  const hasPerNode = c.has('podsPerNode');
  const hasNodes = c.has('nodes');
  const podsPerNode = c.number('podsPerNode', { required: false, integer: true, min: 1, max: 10_000 });
  const nodesGiven = c.number('nodes', { required: false, integer: true, min: 1, max: 100_000 });
  if (hasPerNode && hasNodes)
    c.problem('nodes', `give either ${c.label('podsPerNode')} or ${c.label('nodes')}, not both`);
  if (!hasPerNode && !hasNodes)
    c.problem(
      'podsPerNode',
      `missing: give ${c.label('podsPerNode')} (pods on one node) or ${c.label('nodes')} (nodes the pods run on)`,
    );
  if (nodesGiven !== undefined && replicas !== undefined && nodesGiven > replicas) {
    c.problem(
      'nodes',
      `${nodesGiven} nodes for ${replicas} replicas: a service's pods run on at most as many nodes as it has pods`,
    );
  }
  const instanceType = c.text('instanceType');
  const envoy = envoyOf(c);

  const who = name && namespace ? `${namespace}/${name}` : (name ?? '?');
  const problems = c.problems.map((p) => `${c.origin} (${who}): ${p}`);
  if (
    problems.length > 0 ||
    !name ||
    !namespace ||
    replicas === undefined ||
    peak === undefined ||
    avg === undefined
  ) {
    return { problems };
  }
  const nodes = nodesGiven ?? Math.ceil(replicas / (podsPerNode ?? 1));
  return {
    service: {
      namespace,
      name,
      replicas,
      peakRpsPerPod: peak,
      avgRpsPerPod: avg,
      instanceType: instanceType ?? null,
      nodes,
      envoy,
      origin: c.origin,
    },
    problems,
  };
}

/** Checks rows one at a time as they arrive (a large inventory streams by); `result()` when they are all in. */
export function rowsChecker(): { add(row: RawRow): void; result(): RowsResult } {
  const services: InventoryService[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  let count = 0;
  return {
    add(row: RawRow): void {
      count++;
      const r = checkRow(row);
      for (const p of r.problems) problems.push(p);
      if (!r.service) return;
      const key = serviceKey(r.service);
      const first = seen.get(key);
      if (first) {
        problems.push(
          `${row.origin} (${key}): name: ${key} is listed twice (first at ${first}); merge the rows`,
        );
        return;
      }
      seen.set(key, row.origin);
      services.push(r.service);
    },
    result(): RowsResult {
      if (count === 0) problems.push('no services: the inventory lists no rows');
      return { services, problems };
    },
  };
}

/** Validates every row; problems name the row, the service and the field. Duplicate services are problems too. */
export function checkRows(rows: readonly RawRow[]): RowsResult {
  const checker = rowsChecker();
  for (const row of rows) checker.add(row);
  return checker.result();
}
