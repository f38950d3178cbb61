import { View, parse, type Spec } from 'vega';

/**
 * A chart as a standalone SVG document, drawn by Vega in Node without a browser or canvas (renderer 'none':
 * no DOM, the scenegraph is serialised by toSVG). Text widths are Vega's estimates without a canvas, close
 * enough for axis layout.
 */
export async function renderSvg(spec: Spec): Promise<string> {
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.endsWith('\n') ? svg : svg + '\n';
  } finally {
    view.finalize();
  }
}
