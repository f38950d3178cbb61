import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError, errorMessage } from '../errors.js';

/**
 * The minified Vega, Vega-Lite and vega-embed builds, read from node_modules so that an HTML page can inline
 * them and draw its charts offline (no CDN). vega-embed's package exports only its entry points, so its
 * build directory is found from the entry point it resolves to.
 */
export interface VegaAssets {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

const require = createRequire(import.meta.url);

function buildFile(pkg: string, entryOrFile: string, file: string): string {
  try {
    return require.resolve(`${pkg}/${entryOrFile}`);
  } catch {
    return join(dirname(require.resolve(pkg)), file);
  }
}

export async function loadVegaAssets(): Promise<VegaAssets> {
  const paths = {
    vega: buildFile('vega', 'build/vega.min.js', 'vega.min.js'),
    vegaLite: buildFile('vega-lite', 'build/vega-lite.min.js', 'vega-lite.min.js'),
    vegaEmbed: buildFile('vega-embed', 'build/vega-embed.min.js', 'vega-embed.min.js'),
  };
  try {
    const [vega, vegaLite, vegaEmbed] = await Promise.all([
      readFile(paths.vega, 'utf8'),
      readFile(paths.vegaLite, 'utf8'),
      readFile(paths.vegaEmbed, 'utf8'),
    ]);
    return { vega, vegaLite, vegaEmbed };
  } catch (e) {
    throw new UserError(
      `cannot read the Vega builds the HTML page inlines: ${errorMessage(e)}`,
      [],
      'reinstall meshbench with its dependencies (npm ci), or pass --no-html to skip the HTML page',
    );
  }
}
