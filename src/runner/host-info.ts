import { cpus, hostname, release, totalmem, type as osType } from 'node:os';
import { MESHBENCH_VERSION } from '../version.js';

/** Facts about the machine that ran the load, recorded so every figure can be traced to where it came from. */
export function hostInfo() {
  const cpu = cpus();
  return {
    meshbenchVersion: MESHBENCH_VERSION,
    node: process.version,
    os: `${osType()} ${process.arch}`,
    kernel: release(),
    hostname: hostname(),
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpus: cpu.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  };
}
