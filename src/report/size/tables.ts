import { kindLabel, rpsBasis } from '../../size/proxy-kind.js';
import type { ModeSizing, SizingReport } from '../../size/types.js';
import { formatUsd } from '../shared/format.js';
import {
  changeText,
  cpuQuantity,
  extrapolationText,
  fitText,
  gib,
  memQuantity,
  modeExtrapolationText,
  modelFlagsText,
  r2Text,
  rowLabel,
  rpsText,
  todayText,
  usageText,
  vcpu,
} from './format.js';
import type { TableData } from '../shared/table.js';

export function intro(r: SizingReport): string {
  const i = r.inventory;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(i.services, 'service')}, ${i.pods} pods in ${plural(i.namespaces, 'namespace')} on ${plural(i.nodes, 'node')} (${i.placement === 'observed' ? 'read from the cluster' : 'placement derived from the inventory'}); proxy models fitted from ${r.results.map((s) => s.path).join(', ')}.`;
}

export function totalsTable(r: SizingReport): TableData {
  const t = r.today;
  return {
    header: [
      '',
      'proxies',
      'reserved vCPU',
      'reserved GiB',
      'in use vCPU',
      'in use GiB',
      'reserved $/month',
      'in use $/month',
      'vs App Mesh today',
      'extrapolated rows',
    ],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: [
      [
        'App Mesh today (Envoy requests)',
        String(t.proxies),
        vcpu(t.reserved.cpuMillicores),
        gib(t.reserved.memMiB),
        '',
        '',
        formatUsd(t.reservedMonthly.totalUsd),
        '',
        '',
        '',
      ],
      ...r.modes.map((m) => [
        m.mode,
        String(m.totals.proxies),
        vcpu(m.totals.reserved.cpuMillicores),
        gib(m.totals.reserved.memMiB),
        vcpu(m.totals.expected.cpuMillicores),
        gib(m.totals.expected.memMiB),
        formatUsd(m.totals.reservedMonthly.totalUsd),
        formatUsd(m.totals.expectedMonthly.totalUsd),
        changeText(m),
        modeExtrapolationText(m),
      ]),
    ],
  };
}

export function modeTable(m: ModeSizing): TableData {
  const sidecar = m.rows.every((r) => r.kind === 'sidecar');
  return {
    header: sidecar
      ? [
          'service',
          'pods',
          'peak RPS/pod',
          'avg RPS/pod',
          'CPU request',
          'CPU limit',
          'memory request',
          'memory limit',
          'in use per proxy',
          'App Mesh today',
          'extrapolation',
        ]
      : [
          'proxy',
          'instances',
          'peak RPS',
          'avg RPS',
          'CPU request',
          'CPU limit',
          'memory request',
          'memory limit',
          'in use per proxy',
          'sized against',
          'extrapolation',
        ],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
    rows: m.rows.map((r) => [
      rowLabel(r),
      String(r.instances),
      `${rpsText(r.peakRps)}${r.kind === 'node-proxy' ? ' (busiest node)' : ''}`,
      rpsText(r.avgRps),
      cpuQuantity(r.requests.cpuMillicores) + (r.floored.cpu ? ' (min)' : ''),
      cpuQuantity(r.limits.cpuMillicores),
      memQuantity(r.requests.memMiB) + (r.floored.mem ? ' (min)' : ''),
      memQuantity(r.limits.memMiB),
      usageText(r.expectedPerInstance),
      sidecar ? todayText(r) : rpsBasis(r.kind),
      extrapolationText(r.extrapolation),
    ]),
  };
}

export function modelsTable(r: SizingReport): TableData {
  return {
    header: ['mode', 'proxy', 'CPU', 'CPU r²', 'memory', 'memory r²', 'points', 'measured RPS', 'notes'],
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: r.models.map((m) => [
      m.mode,
      `${kindLabel(m.kind)} (${rpsBasis(m.kind)})`,
      fitText(m.cpu, 'm'),
      r2Text(m.cpu),
      fitText(m.mem, 'Mi'),
      r2Text(m.mem),
      String(m.points),
      `${rpsText(m.rpsMin)}–${rpsText(m.rpsMax)}`,
      modelFlagsText(m.flags),
    ]),
  };
}

export const MODELS_NOTE =
  'Usage per proxy as a function of the RPS through it, fitted by least squares over every measured mode x tier.';
