/**
 * One colour per mode, keyed by the mode's name, so a mode has the same colour in every chart of a report and
 * in every report. Colours from the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
 * stays distinguishable for the common colour-vision deficiencies; baseline is neutral grey because it is the
 * reference the others are measured against.
 */
const KNOWN: Readonly<Record<string, string>> = {
  baseline: '#7a7a7a',
  'istio-sidecar': '#0072b2',
  'istio-ambient': '#009e73',
  'istio-waypoint': '#cc79a7',
  appmesh: '#e69f00',
  kuma: '#d55e00',
  linkerd: '#56b4e9',
};

/** For modes added later without an entry above: still one stable colour per name. */
const SPARE = ['#000000', '#b8860b', '#8c564b', '#17becf', '#9467bd', '#bcbd22'];

export function modeColour(mode: string): string {
  const known = KNOWN[mode];
  if (known) return known;
  let hash = 0;
  for (let i = 0; i < mode.length; i++) hash = (hash * 31 + mode.charCodeAt(i)) >>> 0;
  return SPARE[hash % SPARE.length] ?? '#000000';
}

/** The domain and range of a Vega-Lite colour scale over `modes`, in their order. */
export function modeColourScale(modes: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...modes], range: modes.map(modeColour) };
}
