import type { Analysis } from '../../analysis/types.js';
import type { ResultsFile } from '../../results/schema.js';
import { tierLabel } from './charts/chart.js';
import { modeColour } from '../shared/mode-colours.js';
import { WARNING_SIGN } from '../shared/format.js';
import { escapeHtml } from '../shared/html-escape.js';

function fact(term: string, html: string): string {
  return `<dt>${escapeHtml(term)}</dt><dd>${html}</dd>`;
}

function modeList(modes: readonly string[]): string {
  return modes
    .map((m) => `<span class="swatch" style="background:${modeColour(m)}"></span>${escapeHtml(m)}`)
    .join(', ');
}

/**
 * Title, the facts of the run at a glance, and what must be read before any figure: whether the environment
 * was emulated (prominently, as DESIGN.md asks every report to say), whether the run finished, and the flags.
 */
export function headerHtml(analysis: Analysis, results: ResultsFile): string {
  const s = analysis.source;
  const env = results.environment;
  const facts = [
    fact('Run', `<code>${escapeHtml(s.runId)}</code> (${escapeHtml(s.runStatus)})`),
    fact('Time', escapeHtml(`started ${s.startedAt}${s.finishedAt ? `, finished ${s.finishedAt}` : ''}`)),
    fact('Modes', modeList(analysis.modes)),
    fact('Tiers', escapeHtml(analysis.tiers.map(tierLabel).join(', '))),
    fact('Repetitions', escapeHtml(`${results.spec.repetitions}, ${results.plan.order} order`)),
    fact(
      'Platform',
      escapeHtml(
        `${env.platform}${env.emulation ? ' (emulated)' : ''}; proxy ${env.proxy.name} ${env.proxy.version}`,
      ),
    ),
    fact('Engine', escapeHtml(`${env.engine.name} ${env.engine.version}`)),
    fact('Host', escapeHtml(`${env.cpuModel}, ${env.cpus} CPUs`)),
  ];
  const out = [
    `<h1>meshbench report: ${escapeHtml(s.specName)}</h1>`,
    `<p class="subtitle">Latency a service mesh adds over a no-mesh baseline, and what its proxies use and cost.</p>`,
  ];
  if (env.emulation) {
    out.push(
      `<div class="callout emulation" id="emulation"><p><strong>Emulated environment.</strong> ${escapeHtml(env.emulation)}</p></div>`,
    );
  }
  if (s.runStatus !== 'complete') {
    out.push(
      `<div class="callout bad"><p><strong>${WARNING_SIGN} The run is ${escapeHtml(s.runStatus)}</strong>` +
        `${s.runError ? `: ${escapeHtml(s.runError)}` : ''}. Figures cover the cells that finished.</p></div>`,
    );
  }
  out.push(`<dl class="facts">${facts.join('')}</dl>`);
  if (analysis.flagged.length > 0) {
    const items = analysis.flagged
      .map((f) => `<li>${escapeHtml(`${f.mode} / ${f.tier}: ${f.flags.join(', ')}`)}</li>`)
      .join('');
    out.push(
      `<div class="callout warning"><p><strong>${WARNING_SIGN} Flags</strong> (explained under Methodology; flagged figures carry ${WARNING_SIGN} next to them):</p><ul>${items}</ul></div>`,
    );
  }
  return out.join('\n');
}
