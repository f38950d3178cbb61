/**
 * The local platform: each mode's proxy topology emulated with real HAProxy processes on 127.0.0.1.
 * See local-platform.ts for the lifecycle, topology-plan.ts and haproxy-config.ts for the wiring.
 */
export {
  createLocalPlatform,
  type LocalDeployment,
  type LocalPlatform,
  type LocalProcessInfo,
} from './local-platform.js';
export { haproxyVersion, opensslVersion } from './versions.js';
export { cleanupLeftovers } from './leftovers.js';
export { LOCAL_EMULATION_NOTE } from './tooling.js';
export { createProcSampler } from './proc-sampler.js';
export { readShowStat, readPid, statNumber, type StatRow } from './haproxy-stats.js';
