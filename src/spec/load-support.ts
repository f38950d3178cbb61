import { UserError } from '../errors.js';
import type { ResolvedSpec, TierProtocol } from './schema.js';

/**
 * What one engine or one platform can carry, declared as data in its own folder (`support.ts` beside it), so
 * that a tier it cannot run is refused before anything starts instead of failing in every cell, or worse,
 * being run over another protocol without a word.
 */
export interface LoadSupport {
  /** How messages name it: "engine k6", "platform kubernetes". */
  subject: string;
  protocols: readonly TierProtocol[];
  /** Whether `requestsPerConnection` is honoured (a new connection after that many requests). */
  connectionChurn: boolean;
  /**
   * Churn honoured only in part (k6: a new connection per HTTP/1.1 request and nothing else): over these protocols
   * only, and only up to this many requests per connection. Absent: every protocol, any count.
   */
  churnLimits?: { protocols?: readonly TierProtocol[]; maxRequestsPerConnection?: number; why: string };
  /** Why a protocol or churn is missing and what to do instead; a generic fix is given otherwise. */
  fixes?: Partial<Record<TierProtocol | 'churn', string>>;
}

/** Every tier field the given engine and platform cannot honour: "tiers[i].field (tier x): why (fix)". */
export function loadSupportProblems(spec: ResolvedSpec, supports: readonly LoadSupport[]): string[] {
  const problems: string[] = [];
  spec.tiers.forEach((t, i) => {
    for (const s of supports) {
      if (!s.protocols.includes(t.protocol))
        problems.push(
          `tiers[${i}].protocol (tier ${t.name}): ${s.subject} does not speak ${t.protocol}, only ${s.protocols.join(', ')} ` +
            `(${s.fixes?.[t.protocol] ?? `set protocol to one of ${s.protocols.join(', ')}, or choose another ${s.subject.split(' ')[0]}`})`,
        );
      if (t.requestsPerConnection !== undefined && !s.connectionChurn)
        problems.push(
          `tiers[${i}].requestsPerConnection (tier ${t.name}): ${s.subject} cannot open a new connection every ${t.requestsPerConnection} request(s) ` +
            `(${s.fixes?.churn ?? `remove requestsPerConnection, or choose another ${s.subject.split(' ')[0]}`})`,
        );
      else if (t.requestsPerConnection !== undefined && s.churnLimits !== undefined) {
        const { protocols, maxRequestsPerConnection: max, why } = s.churnLimits;
        if (
          (protocols !== undefined && !protocols.includes(t.protocol)) ||
          (max !== undefined && t.requestsPerConnection > max)
        )
          problems.push(
            `tiers[${i}].requestsPerConnection (tier ${t.name}): ${s.subject} cannot open a new connection every ${t.requestsPerConnection} ${t.protocol} request(s): ${why} ` +
              `(${s.fixes?.churn ?? `remove requestsPerConnection, or choose another ${s.subject.split(' ')[0]}`})`,
          );
      }
    }
  });
  return problems;
}

/** Throws a UserError (exit 2) listing every tier the engine and platform cannot run; checked before anything starts. */
export function assertLoadSupported(spec: ResolvedSpec, supports: readonly LoadSupport[]): void {
  const problems = loadSupportProblems(spec, supports);
  if (problems.length === 0) return;
  throw new UserError(
    `${supports.map((s) => s.subject).join(' and ')} cannot run ${problems.length === 1 ? 'a tier field' : `${problems.length} tier fields`} of this spec`,
    problems,
    'change the fields above, or the engine or platform (`meshbench plan <spec>` checks a spec without running anything)',
  );
}

/**
 * The declarations a run is checked against: the engine's (when known; `auto` on a local platform is decided at
 * run time) and the platform's. On Kubernetes load always runs as k6.
 */
export function supportsFor(
  platform: ResolvedSpec['platform'],
  engine: 'builtin' | 'k6' | 'auto',
  declared: {
    builtin: LoadSupport;
    k6: LoadSupport;
    local: LoadSupport;
    kubernetes: LoadSupport;
  },
): LoadSupport[] {
  const eng = platform === 'kubernetes' ? 'k6' : engine;
  return [...(eng === 'auto' ? [] : [declared[eng]]), declared[platform]];
}
