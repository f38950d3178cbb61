import { UserError } from '../errors.js';
import { createBuiltinEngine } from './builtin/index.js';
import type { Engine } from './engine.js';
import { createK6Engine, findK6, K6_INSTALL_HINT } from './k6/index.js';

/**
 * `auto` picks k6 when a k6 binary is found (the tool platform teams already use) and the builtin engine
 * otherwise; `k6` insists on it and fails before anything starts when it is missing. `k6Options.appDelayMs` (the
 * spec's app.delayMs) goes into k6's VU sizing.
 */
export async function selectEngine(
  choice: 'auto' | 'builtin' | 'k6',
  k6Path?: string,
  k6Options: { appDelayMs?: number } = {},
): Promise<Engine> {
  if (choice === 'builtin') return createBuiltinEngine();
  const k6 = await findK6(k6Path);
  if (k6) return createK6Engine({ ...k6Options, k6Path: k6.path });
  if (choice === 'k6' || k6Path) {
    throw new UserError(
      k6Path
        ? `k6 not found or not runnable at ${k6Path}`
        : 'engine k6 was asked for, but no k6 binary is on PATH',
      [],
      `${K6_INSTALL_HINT}; or use --engine builtin`,
    );
  }
  return createBuiltinEngine();
}
