import type { ResolvedSpec } from '../spec/schema.js';
import { createLocalPlatform } from './local/index.js';
import type { HoldsModesConcurrently, Platform } from './platform.js';
import { UserError } from '../errors.js';

export interface PlatformOptions {
  runId: string;
  spec: ResolvedSpec;
  context?: string;
}

/** The platform registry: the spec's `platform` names one of these. */
export async function createPlatform(o: PlatformOptions): Promise<Platform | (Platform & HoldsModesConcurrently)> {
  switch (o.spec.platform) {
    case 'local':
      return createLocalPlatform({ runId: o.runId, spec: o.spec });
    case 'kubernetes':
      throw new UserError('platform kubernetes is not available in this build', [], 'use --platform local');
  }
}
