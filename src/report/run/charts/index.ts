import type { Analysis } from '../../../analysis/types.js';
import type { ChartDefinition } from './chart.js';
import { costChart } from './cost.js';
import { latencyAddedChart } from './latency-added.js';
import { latencySpectrumChart } from './latency-spectrum.js';
import { loadChart } from './load.js';
import { proxyResourcesChart } from './proxy-resources.js';

export type { ChartDefinition, ChartId } from './chart.js';

/**
 * Every chart the analysis has data for, in the order the reports show them. A chart without data (no
 * baseline: no latency added; no proxies: no resources or cost) is left out rather than drawn empty.
 */
export function buildCharts(analysis: Analysis): ChartDefinition[] {
  return [
    latencyAddedChart(analysis),
    latencySpectrumChart(analysis),
    proxyResourcesChart(analysis),
    costChart(analysis),
    loadChart(analysis),
  ].filter((c): c is ChartDefinition => c !== null);
}
