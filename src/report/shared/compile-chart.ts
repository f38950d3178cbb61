import type { Spec as VegaSpec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface CompiledChart {
  vega: VegaSpec;
  /** What Vega-Lite warned about while compiling (e.g. an encoding it dropped): empty for a sound spec. */
  warnings: string[];
}

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>['logger']>;

/** Vega-Lite's logger interface, keeping warnings and errors instead of printing them. */
class CollectingLogger implements Logger {
  readonly messages: string[] = [];
  private current = 2; // vega-util's Warn level

  level(): number;
  level(_: number): this;
  level(l?: number): number | this {
    if (l === undefined) return this.current;
    this.current = l;
    return this;
  }
  error(...args: readonly unknown[]): this {
    this.messages.push(args.map(String).join(' '));
    return this;
  }
  warn(...args: readonly unknown[]): this {
    this.messages.push(args.map(String).join(' '));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

/**
 * Vega-Lite to Vega, in Node. The HTML page and the static SVGs both draw this one compiled spec, so they
 * cannot differ, and the page does not need Vega-Lite's compiler at all.
 */
export function compileChart(spec: TopLevelSpec): CompiledChart {
  const logger = new CollectingLogger();
  return { vega: compile(spec, { logger }).spec, warnings: logger.messages };
}
