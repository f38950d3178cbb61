import { at, baseManifest, type K8sObject } from './manifest-files.js';
import { GRPC_PORT, ROLE_LABEL, SERVER_NAME, SERVER_PORT } from './names.js';
import { optOutsFor, type RenderContext } from './render-context.js';
import { grpcContainerPort, grpcServicePort, servesGrpc } from './render-protocols.js';
import type { ResourceSettings } from './settings.js';

export function containerResources(r: ResourceSettings): Record<string, Record<string, string>> {
  const limits = Object.fromEntries(
    Object.entries(r.limits ?? {}).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  return { requests: { ...r.requests }, ...(Object.keys(limits).length > 0 ? { limits } : {}) };
}

/** The mode's own pod labels, and outside every mesh, every other mode's pod opt-outs. */
export function modePodLabels(ctx: RenderContext): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const o of optOutsFor(ctx)) Object.assign(labels, o.podLabels);
  return { ...labels, ...ctx.mode.kubernetes.podLabels };
}

/** Pod labels of a workload: its app label, role, the run's labels and the mode's pod labels. */
export function podLabels(
  ctx: RenderContext,
  app: string,
  role: 'server' | 'client',
): Record<string, string> {
  return { app, [ROLE_LABEL]: role, ...ctx.labels, ...modePodLabels(ctx) };
}

/** fortio's flags: the largest payload any tier asks for, and an echo delay cap above the spec's delay. */
export function fortioArgs(ctx: RenderContext): string[] {
  const maxPayload = Math.max(0, ...ctx.spec.tiers.map((t) => t.payloadBytes));
  // fortio caps size= at -maxpayloadsizekb (default 256) and delay= at -max-echo-delay (default 1.5s).
  const kb = Math.max(256, Math.ceil(maxPayload / 1024));
  const maxDelaySec = Math.max(2, Math.ceil((ctx.spec.app.delayMs * 2) / 1000));
  return [
    'server',
    '-http-port',
    String(SERVER_PORT),
    '-maxpayloadsizekb',
    String(kb),
    '-max-echo-delay',
    `${maxDelaySec}s`,
    // fortio's ping service (fgrpc.PingServer) for gRPC tiers; named even though 8079 is fortio's default.
    ...(servesGrpc(ctx.spec) ? ['-grpc-port', String(GRPC_PORT)] : []),
  ];
}

/** The fortio echo server: replicas, image, resources and node selector from the spec and settings. */
export function renderServerDeployment(ctx: RenderContext): K8sObject {
  const d = baseManifest('server/deployment.yaml');
  d.metadata = {
    ...d.metadata,
    name: SERVER_NAME,
    namespace: ctx.namespace,
    labels: { ...d.metadata.labels, ...ctx.labels },
  };
  const spec = at(d, 'spec');
  spec.replicas = ctx.spec.app.replicas;
  const template = at(d, 'spec', 'template');
  const meta = at<Record<string, unknown>>(template, 'metadata');
  meta.labels = { ...(meta.labels as Record<string, string>), ...podLabels(ctx, SERVER_NAME, 'server') };
  const annotations = ctx.mode.kubernetes.podAnnotations;
  if (annotations && Object.keys(annotations).length > 0) meta.annotations = { ...annotations };
  const podSpec = at(template, 'spec');
  if (ctx.settings.nodeSelector) podSpec.nodeSelector = { ...ctx.settings.nodeSelector };
  const container = at(podSpec, 'containers', 0);
  container.image = ctx.settings.serverImage;
  container.args = fortioArgs(ctx);
  container.resources = containerResources(ctx.settings.serverResources);
  if (servesGrpc(ctx.spec)) container.ports = [...(container.ports as unknown[]), grpcContainerPort()];
  return d;
}

export function renderServerService(ctx: RenderContext): K8sObject {
  const s = baseManifest('server/service.yaml');
  s.metadata = {
    ...s.metadata,
    name: SERVER_NAME,
    namespace: ctx.namespace,
    labels: { ...s.metadata.labels, ...ctx.labels },
  };
  if (servesGrpc(ctx.spec)) {
    const spec = at(s, 'spec');
    spec.ports = [...(spec.ports as unknown[]), grpcServicePort()];
  }
  return s;
}
