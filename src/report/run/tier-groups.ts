import type { Analysis, TierSummary } from '../../analysis/types.js';
import { TIER_PROTOCOLS } from '../../spec/schema.js';
import { isPlainTier, protocolLabel, variantLabel, type TierVariantFields } from '../../spec/tier-variant.js';

/**
 * How reports tell tiers of other protocols and connection churn apart. A run of plain HTTP/1.1 keep-alive tiers
 * only shows nothing new (its reports stay byte for byte what they were); otherwise every tier name carries its
 * variant ("medium · h2c", "medium · 1 req/conn", "medium · HTTP/1.1"), and tiers of the same load are grouped so
 * that a reader sees keep-alive vs churn and HTTP/1.1 vs h2c vs gRPC side by side (protocol-table.ts).
 */
export type { TierVariantFields };
export { isPlainTier, protocolLabel, variantLabel };

/** Whether reports show variants at all: some tier is not plain HTTP/1.1 keep-alive. */
export function showsTierVariants(tiers: readonly TierVariantFields[]): boolean {
  return tiers.some((t) => !isPlainTier(t));
}

/** Column heading of a variant in the side-by-side tables: the protocol always named. */
export function variantHeading(t: TierVariantFields): string {
  const base = protocolLabel(t.protocol);
  return t.requestsPerConnection === undefined
    ? `${base} keep-alive`
    : `${base} · ${t.requestsPerConnection} req/conn`;
}

export function tierDisplayName(t: TierSummary): string {
  return `${t.name} · ${variantLabel(t)}`;
}

const variantKey = (t: TierVariantFields): string => `${t.protocol}|${t.requestsPerConnection ?? ''}`;

/** Variants present, in report order: protocols as the spec lists them, then keep-alive, then churn from the most requests per connection to the fewest. */
export function variantsOf(tiers: readonly TierVariantFields[]): TierVariantFields[] {
  const seen = new Map<string, TierVariantFields>();
  for (const t of tiers)
    if (!seen.has(variantKey(t)))
      seen.set(variantKey(t), { protocol: t.protocol, requestsPerConnection: t.requestsPerConnection });
  const churn = (v: TierVariantFields) => v.requestsPerConnection ?? Number.POSITIVE_INFINITY;
  return [...seen.values()].sort(
    (a, b) => TIER_PROTOCOLS.indexOf(a.protocol) - TIER_PROTOCOLS.indexOf(b.protocol) || churn(b) - churn(a),
  );
}

/** A run mixes variants when its tiers use more than one (protocol, requests per connection). */
export function mixesVariants(tiers: readonly TierVariantFields[]): boolean {
  return variantsOf(tiers).length > 1;
}

export function sameVariant(a: TierVariantFields, b: TierVariantFields): boolean {
  return variantKey(a) === variantKey(b);
}

/** Tiers of the same target rate, whose variants sit side by side; spec order. */
export interface TierGroup {
  targetRps: number;
  tiers: TierSummary[];
}

/**
 * Groups tiers by target rate: "medium" and "medium-churn" belong side by side even when the spec gave them
 * different payloads or connections (the row then says so, protocol-table.ts). A second tier of a variant the
 * group already has starts a group of its own, so every tier is in exactly one cell.
 */
export function tierGroups(tiers: readonly TierSummary[]): TierGroup[] {
  const groups: TierGroup[] = [];
  for (const t of tiers) {
    const g = groups.find((x) => x.targetRps === t.targetRps && !x.tiers.some((o) => sameVariant(o, t)));
    if (g) g.tiers.push(t);
    else groups.push({ targetRps: t.targetRps, tiers: [t] });
  }
  return groups;
}

/**
 * The analysis as reports show it: every tier name carrying its variant when any tier is not plain HTTP/1.1
 * keep-alive; otherwise the very same object. analysis.json is written from the original, never from this.
 */
export function withTierLabels(analysis: Analysis): Analysis {
  if (!showsTierVariants(analysis.tiers)) return analysis;
  const label = new Map(analysis.tiers.map((t) => [t.name, tierDisplayName(t)]));
  const rename = (name: string): string => label.get(name) ?? name;
  return {
    ...analysis,
    tiers: analysis.tiers.map((t) => ({ ...t, name: rename(t.name) })),
    results: analysis.results.map((r) => ({ ...r, tier: rename(r.tier) })),
    noiseFloor: analysis.noiseFloor.map((n) => ({ ...n, tier: rename(n.tier) })),
    flagged: analysis.flagged.map((f) => ({ ...f, tier: rename(f.tier) })),
  };
}
