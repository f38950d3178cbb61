import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { thrownUserError } from '../helpers/user-error.js';
import { parseCsv } from '../../src/size/csv-parse.js';
import { parseInventory, type InventoryFormat } from '../../src/size/inventory-parse.js';
import { derivePlacement, spreadPods } from '../../src/size/placement.js';
import { parseRpsFile } from '../../src/size/rps-file.js';
import { HAND_INVENTORY_CSV } from '../helpers/size-fixtures.js';
import { REPO } from '../helpers/cli.js';

function problemsOf(text: string, format: InventoryFormat): string[] {
  return thrownUserError(() => parseInventory(text, format, `inv.${format}`)).problems;
}

const HEADER =
  'name,namespace,replicas,peakRpsPerPod,avgRpsPerPod,podsPerNode,nodes,instanceType,envoyCpuRequest,envoyMemoryRequest,envoyCpuLimit,envoyMemoryLimit';
const GOOD = 'ok,shop,2,100,50,1,,m5.large,,,,';

describe('size: reading inventories', () => {
  it('reads the example YAML and CSV to the same services', () => {
    const yaml = parseInventory(
      readFileSync(`${REPO}examples/inventory.yaml`, 'utf8'),
      'yaml',
      'inventory.yaml',
    );
    const csv = parseInventory(readFileSync(`${REPO}examples/inventory.csv`, 'utf8'), 'csv', 'inventory.csv');
    const strip = (i: typeof yaml) => i.services.map(({ origin: _, ...s }) => s);
    expect(strip(csv)).toEqual(strip(yaml));
    expect(yaml.services.map((s) => s.name)).toEqual([
      'storefront',
      'checkout',
      'catalog',
      'accounts',
      'tokens',
    ]);
    // catalog: requests 200m/128Mi, limits 1 core / 512Mi; accounts: no Envoy given -> controller defaults.
    expect(yaml.services[2]?.envoy).toEqual({
      source: 'inventory',
      requests: { cpuMillicores: 200, memMiB: 128 },
      limits: { cpuMillicores: 1000, memMiB: 512 },
      assumed: [],
    });
    expect(yaml.services[3]?.envoy).toMatchObject({
      requests: { cpuMillicores: 10, memMiB: 32 },
      assumed: ['cpu', 'memory'],
    });
  });

  it('derives node counts from podsPerNode or nodes', () => {
    const inv = parseInventory(HAND_INVENTORY_CSV, 'csv', 'x.csv');
    // checkout 4 pods at 2 per node = 2 nodes; cart nodes: 2; frontend 3 pods at 1 per node = 3 nodes.
    expect(inv.services.map((s) => s.nodes)).toEqual([2, 2, 3]);
  });

  // Each bad row names where it is (CSV line / YAML index and line), the service, and the field as written.
  const CSV_CASES: [string, string, string][] = [
    [
      'a number that is not one',
      'cart,shop,2,lots,50,1,,,,,,',
      "line 3 (shop/cart): peakRpsPerPod: expected a number, got 'lots'",
    ],
    [
      'a missing required field',
      'cart,shop,,100,50,1,,,,,,',
      'line 3 (shop/cart): replicas: missing (required)',
    ],
    [
      'fractional replicas',
      'cart,shop,2.5,100,50,1,,,,,,',
      "line 3 (shop/cart): replicas: expected a whole number, got '2.5'",
    ],
    ['negative RPS', 'cart,shop,2,-1,0,1,,,,,,', 'line 3 (shop/cart): peakRpsPerPod: -1 is out of range'],
    [
      'average above peak',
      'cart,shop,2,100,150,1,,,,,,',
      'line 3 (shop/cart): avgRpsPerPod: the average (150) is above the peak (100)',
    ],
    [
      'neither podsPerNode nor nodes',
      'cart,shop,2,100,50,,,,,,,',
      'line 3 (shop/cart): podsPerNode: missing: give podsPerNode',
    ],
    [
      'both podsPerNode and nodes',
      'cart,shop,2,100,50,1,2,,,,,',
      'line 3 (shop/cart): nodes: give either podsPerNode or nodes, not both',
    ],
    [
      'more nodes than pods',
      'cart,shop,2,100,50,,3,,,,,',
      'line 3 (shop/cart): nodes: 3 nodes for 2 replicas',
    ],
    [
      'a bad quantity',
      'cart,shop,2,100,50,1,,,100x,,,',
      "line 3 (shop/cart): envoyCpuRequest: '100x' is not a Kubernetes quantity",
    ],
    [
      'a limit below the request',
      'cart,shop,2,100,50,1,,,200m,,100m,',
      'line 3 (shop/cart): envoyCpuLimit: the limit (100m) is below the request (200m)',
    ],
    [
      'an invalid name',
      'Cart!,shop,2,100,50,1,,,,,,',
      "line 3 (?): name: 'Cart!' is not a valid Kubernetes name",
    ],
    [
      'a duplicate service',
      'ok,shop,2,100,50,1,,,,,,',
      'line 3 (shop/ok): name: shop/ok is listed twice (first at line 2)',
    ],
    ['too many cells', 'cart,shop,2,100,50,1,,,,,,,extra', 'line 3: 13 cells but the header has 12 columns'],
  ];
  it.each(CSV_CASES)('CSV: %s', (_, row, expected) => {
    const problems = problemsOf(`${HEADER}\n${GOOD}\n${row}\n`, 'csv');
    expect(problems.join('\n')).toContain(expected);
  });

  it('CSV: an unknown column is named with its line', () => {
    expect(problemsOf('name,namespace,replicas,peakRps\nx,y,1,2\n', 'csv')).toEqual([
      "line 1: unknown column 'peakRps' (known: name, namespace, replicas, peakRpsPerPod, avgRpsPerPod, podsPerNode, nodes, instanceType, envoyCpuRequest, envoyMemoryRequest, envoyCpuLimit, envoyMemoryLimit)",
    ]);
  });

  it('YAML: names the list index, the line, the service and the field', () => {
    const text = [
      'services:',
      '  - { name: ok, namespace: shop, replicas: 2, peakRpsPerPod: 100, avgRpsPerPod: 50, nodes: 2 }',
      '  - name: cart',
      '    namespace: shop',
      '    replicas: 2',
      '    peakRpsPerPod: "fast"',
      '    avgRpsPerPod: 50',
      '    nodes: 1',
      '    envoy: { requests: { cpu: 1 core } }',
      '    colour: blue',
      '',
    ].join('\n');
    expect(problemsOf(text, 'yaml')).toEqual([
      'services[1] (line 3) (shop/cart): colour: unknown field (known: name, namespace, replicas, peakRpsPerPod, avgRpsPerPod, podsPerNode, nodes, instanceType, envoyCpuRequest, envoyMemoryRequest, envoyCpuLimit, envoyMemoryLimit; in YAML the Envoy fields may also be written envoy.requests.cpu etc.)',
      "services[1] (line 3) (shop/cart): peakRpsPerPod: expected a number, got 'fast'",
      "services[1] (line 3) (shop/cart): envoy.requests.cpu: '1 core' is not a Kubernetes quantity (e.g. '100m' or '0.5')",
    ]);
  });

  it('YAML: rejects a file without a services list, and a syntax error', () => {
    expect(problemsOf('- name: x\n', 'yaml')[0]).toContain('expected a mapping with a `services:` list');
    expect(problemsOf('servics: []\n', 'yaml')).toEqual([
      'servics (line 1): unknown top-level field (only `services:` is read)',
      'services: expected a list of services (see examples/inventory.yaml)',
    ]);
    expect(problemsOf('services: [ {name: x\n', 'yaml').length).toBeGreaterThan(0);
    expect(problemsOf('services: []\n', 'yaml')).toEqual(['no services: the inventory lists no rows']);
  });

  it('throws one UserError with a count and a fix', () => {
    let err: unknown;
    try {
      parseInventory(`${HEADER}\nx,shop,0,1,1,1,,,,,,\ny,shop,1,a,1,1,,,,,,\n`, 'csv', 'bad.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('inventory bad.csv is not valid (2 problems)');
    expect((err as UserError).fix).toContain('docs/SIZING.md');
  });
});

describe('size: CSV records', () => {
  it('handles quotes, embedded commas and line breaks, CRLF and a byte-order mark', () => {
    const { records, error } = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",2\n');
    expect(error).toBeNull();
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', '2'] },
    ]);
    expect(parseCsv('a\n"open').error).toBe('line 2: a quoted field is never closed');
  });
});

describe('size: placement', () => {
  it('spreads pods as evenly as possible', () => {
    expect(spreadPods(5, 3)).toEqual([2, 2, 1]);
    expect(spreadPods(4, 4)).toEqual([1, 1, 1, 1]);
  });

  it('shares a pool per instance type, as large as its widest service, placing services round the pool', () => {
    const inv = parseInventory(HAND_INVENTORY_CSV, 'csv', 'x.csv');
    const p = derivePlacement(inv.services);
    expect(p.pools).toEqual([{ instanceType: 'm5.large', nodes: 3 }]);
    expect(p.nodes.map((n) => [n.name, n.pods.map((x) => `${x.service}:${x.count}`).join(' ')])).toEqual([
      ['m5.large-1', 'shop/checkout:2 shop/cart:1 web/frontend:1'],
      ['m5.large-2', 'shop/checkout:2 web/frontend:1'],
      ['m5.large-3', 'shop/cart:1 web/frontend:1'],
    ]);
  });
});

describe('size: RPS file for --from-cluster', () => {
  it('reads YAML and CSV', () => {
    const y = parseRpsFile('shop/cart: { peakRpsPerPod: 100, avgRpsPerPod: 40 }\n', 'yaml', 'rps.yaml');
    const c = parseRpsFile('namespace,name,peakRpsPerPod,avgRpsPerPod\nshop,cart,100,40\n', 'csv', 'rps.csv');
    expect(y.map(({ origin: _, ...e }) => e)).toEqual([
      { namespace: 'shop', name: 'cart', peakRpsPerPod: 100, avgRpsPerPod: 40 },
    ]);
    expect(c.map(({ origin: _, ...e }) => e)).toEqual(y.map(({ origin: _, ...e }) => e));
  });

  it('names the entry and field of a bad one', () => {
    expect(() =>
      parseRpsFile(
        'shop/cart: { peakRpsPerPod: x, avgRpsPerPod: 40 }\ncart: { peakRpsPerPod: 1, avgRpsPerPod: 1 }\n',
        'yaml',
        'rps.yaml',
      ),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'cart (line 2): expected a key of the form namespace/name',
          "shop/cart (line 1) (shop/cart): peakRpsPerPod: expected a number, got 'x'",
        ],
      }),
    );
  });
});
