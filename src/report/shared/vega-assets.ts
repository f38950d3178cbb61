import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError, errorMessage } from '../../errors.js';
import { escapeHtml, inlineScript } from './html-escape.js';

/** A browser build of a library, to inline into an HTML page so that it draws its charts offline (no CDN). */
export interface BrowserBundle {
  name: string;
  version: string;
  source: string;
}

/**
 * The builds every HTML page draws with. The run and history pages compile their specs to Vega in Node
 * (compile-chart.ts) and need Vega alone; the sizing page compiles in the browser with Vega-Lite. vega-embed
 * adds tooltips and the "save as SVG/PNG" menu; it is null where it is not installed, and every page then
 * draws with Vega's View alone.
 */
export interface BrowserBundles {
  vega: BrowserBundle;
  vegaLite: BrowserBundle;
  vegaEmbed: BrowserBundle | null;
}

const require = createRequire(import.meta.url);

/**
 * The minified UMD build next to a package's main file (vega, vega-lite and vega-embed all keep them in
 * build/; vega-embed's package exports only its entry points, so the directory is found from the entry).
 */
async function readBundle(name: string, file: string): Promise<BrowserBundle> {
  const buildDir = dirname(require.resolve(name));
  const pkg = JSON.parse(await readFile(join(buildDir, '..', 'package.json'), 'utf8')) as { version: string };
  return { name, version: pkg.version, source: await readFile(join(buildDir, file), 'utf8') };
}

async function readOptionalBundle(name: string, file: string): Promise<BrowserBundle | null> {
  try {
    return await readBundle(name, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw e;
  }
}

let cached: Promise<BrowserBundles> | undefined;

/**
 * Reads the installed builds once per process (they do not change while it runs). A damaged installation is
 * the user's to fix (exit 2), not an internal error.
 */
export function loadBrowserBundles(): Promise<BrowserBundles> {
  cached ??= (async () => ({
    vega: await readBundle('vega', 'vega.min.js'),
    vegaLite: await readBundle('vega-lite', 'vega-lite.min.js'),
    vegaEmbed: await readOptionalBundle('vega-embed', 'vega-embed.min.js'),
  }))().catch((e: unknown) => {
    cached = undefined;
    throw new UserError(
      `cannot read the Vega builds the HTML page inlines: ${errorMessage(e)}`,
      [],
      'reinstall meshbench with its dependencies (npm ci); size and history can skip the HTML page with --no-html',
    );
  });
  return cached;
}

/** Vega and vega-embed as inline <script> elements, Vega first (vega-embed needs it), each with its version. */
export function libraryScripts(bundles: BrowserBundles): string {
  return [bundles.vega, ...(bundles.vegaEmbed ? [bundles.vegaEmbed] : [])]
    .map(
      (b) =>
        `<script data-library="${escapeHtml(b.name)} ${escapeHtml(b.version)}">\n${inlineScript(b.source)}\n</script>`,
    )
    .join('\n');
}
