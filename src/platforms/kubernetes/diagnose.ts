import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { apiErrorMessage } from './client.js';

/** One line per pod: phase, conditions that are not True, and why each container is waiting or ended. */
export function describePod(p: V1Pod): string {
  const parts: string[] = [`pod ${p.metadata?.name ?? '?'}: ${p.status?.phase ?? 'Unknown'}`];
  for (const c of p.status?.conditions ?? []) {
    if (c.status !== 'True')
      parts.push(
        `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`,
      );
  }
  const statuses = [
    ...(p.status?.initContainerStatuses ?? []).map((s) => ({ s, init: true })),
    ...(p.status?.containerStatuses ?? []).map((s) => ({ s, init: false })),
  ];
  for (const { s, init } of statuses) {
    const label = `${init ? 'init ' : ''}container ${s.name}`;
    if (s.state?.waiting)
      parts.push(
        `${label} waiting: ${s.state.waiting.reason ?? ''}${s.state.waiting.message ? ` ${s.state.waiting.message}` : ''}`,
      );
    else if (s.state?.terminated && s.state.terminated.exitCode !== 0)
      parts.push(`${label} exited ${s.state.terminated.exitCode} (${s.state.terminated.reason ?? ''})`);
    else if (s.state?.running && !s.ready && !init) parts.push(`${label} running, not ready`);
    if (s.restartCount > 0) parts.push(`${label} restarted ${s.restartCount}x`);
  }
  return parts.join('; ');
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).getTime() : 0;
}

/**
 * What a person needs when something is not ready in time: the status of the namespace's pods (those
 * matching `labelSelector`) and the namespace's most recent events. Never throws: a diagnosis that fails
 * says so instead of hiding the original error.
 */
export async function diagnose(
  clients: KubeClients,
  namespace: string,
  labelSelector?: string,
  maxEvents = 10,
): Promise<string> {
  const lines: string[] = [];
  try {
    const pods = await clients.core.listNamespacedPod({
      namespace,
      ...(labelSelector ? { labelSelector } : {}),
    });
    if (pods.items.length === 0)
      lines.push(`no pods${labelSelector ? ` matching ${labelSelector}` : ''} in ${namespace}`);
    for (const p of pods.items) lines.push(describePod(p));
  } catch (e) {
    lines.push(`(could not list pods in ${namespace}: ${apiErrorMessage(e)})`);
  }
  try {
    const events = await clients.core.listNamespacedEvent({ namespace });
    const recent = [...events.items].sort((a, b) => eventTime(b) - eventTime(a)).slice(0, maxEvents);
    if (recent.length > 0) lines.push('recent events:');
    for (const e of recent)
      lines.push(
        `  ${e.type ?? ''} ${e.reason ?? ''} ${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}: ${e.message ?? ''}`,
      );
  } catch (e) {
    lines.push(`(could not list events in ${namespace}: ${apiErrorMessage(e)})`);
  }
  return lines.join('\n');
}
