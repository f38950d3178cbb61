import { escapeHtml, inlineScript } from './html-escape.js';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A browser build of a library, to inline into the HTML report. */
export interface BrowserBundle {
  name: string;
  version: string;
  source: string;
}

/**
 * What the page needs to draw its charts. The specs are compiled to Vega in Node (charts/compile.ts), so the
 * page needs Vega, not Vega-Lite's compiler (about 250 kB less). vega-embed adds tooltips and the
 * "save as SVG/PNG" menu; it is null where it is not installed, and the page then draws with Vega's View alone.
 */
export interface BrowserBundles {
  vega: BrowserBundle;
  vegaEmbed: BrowserBundle | null;
}

const require = createRequire(import.meta.url);

/** The minified UMD build next to a package's main file (both vega and vega-embed keep them in build/). */
async function readBundle(name: string, file: string): Promise<BrowserBundle> {
  const main = require.resolve(name);
  const buildDir = dirname(main);
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

/** Reads the installed builds once per process (they do not change while it runs). */
export function loadBrowserBundles(): Promise<BrowserBundles> {
  cached ??= (async () => ({
    vega: await readBundle('vega', 'vega.min.js'),
    vegaEmbed: await readOptionalBundle('vega-embed', 'vega-embed.min.js'),
  }))().catch((e: unknown) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

/** The bundles as inline <script> elements, Vega first (vega-embed needs it), each labelled with its version. */
export function libraryScripts(bundles: BrowserBundles): string {
  return [bundles.vega, ...(bundles.vegaEmbed ? [bundles.vegaEmbed] : [])]
    .map(
      (b) =>
        `<script data-library="${escapeHtml(b.name)} ${escapeHtml(b.version)}">\n${inlineScript(b.source)}\n</script>`,
    )
    .join('\n');
}
