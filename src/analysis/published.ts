import type { ModeName } from '../modes/mode.js';
import { modes as defaultModes, type ModeRegistry } from '../modes/registry.js';
import type { Analysis } from './types.js';

/** The published figures of the run's modes, as the mode files carry them; nothing when none has any. */
export function publishedFigures(
  modes: readonly ModeName[],
  registry: ModeRegistry = defaultModes,
): Pick<Analysis, 'published'> {
  const published = modes.flatMap((mode) => {
    const figures = registry.get(mode)?.published ?? [];
    return figures.length > 0
      ? [{ mode, figures: figures.map((f) => ({ ...f, source: { ...f.source } })) }]
      : [];
  });
  return published.length > 0 ? { published } : {};
}
