import type { ResolvedSpec } from '../../spec/schema.js';
import { GRPC_PORT } from './names.js';

/**
 * What the server side adds when a tier calls gRPC: fortio serves its ping service on GRPC_PORT beside HTTP, and
 * the Service names the port for protocol selection. Istio takes the protocol from the port's `appProtocol` or
 * its name prefix (`grpc`); Kuma reads `appProtocol` too; Linkerd detects HTTP/2 by itself; App Mesh needs a
 * VirtualNode listener of protocol grpc (src/modes/appmesh.ts). Nothing is added for specs without gRPC tiers,
 * so their manifests stay as they were.
 */
export function servesGrpc(spec: ResolvedSpec): boolean {
  return spec.tiers.some((t) => t.protocol === 'grpc');
}

export const GRPC_PORT_NAME = 'grpc';

export function grpcServicePort(): Record<string, unknown> {
  return {
    name: GRPC_PORT_NAME,
    port: GRPC_PORT,
    targetPort: GRPC_PORT,
    protocol: 'TCP',
    appProtocol: 'grpc',
  };
}

export function grpcContainerPort(): Record<string, unknown> {
  return { name: GRPC_PORT_NAME, containerPort: GRPC_PORT, protocol: 'TCP' };
}
