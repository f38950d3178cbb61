import type { Tier, TierProtocol } from './schema.js';

/**
 * A tier's variant: its protocol and connection reuse, what sets it apart from another tier of the same load.
 * Plain HTTP/1.1 over keep-alive connections is what every tier was before protocols and churn; reports, compare
 * and history show nothing new for it, so results of that time read as they did.
 */
export type TierVariantFields = Pick<Tier, 'protocol' | 'requestsPerConnection'>;

const PROTOCOL_LABEL: Record<TierProtocol, string> = { 'http/1.1': 'HTTP/1.1', h2c: 'h2c', grpc: 'gRPC' };

export function protocolLabel(p: TierProtocol): string {
  return PROTOCOL_LABEL[p];
}

export function isPlainTier(t: TierVariantFields): boolean {
  return t.protocol === 'http/1.1' && t.requestsPerConnection === undefined;
}

/** "h2c", "1 req/conn", "gRPC · 10 req/conn", "HTTP/1.1" (plain). */
export function variantLabel(t: TierVariantFields): string {
  const parts: string[] = [];
  if (t.protocol !== 'http/1.1') parts.push(protocolLabel(t.protocol));
  if (t.requestsPerConnection !== undefined) parts.push(`${t.requestsPerConnection} req/conn`);
  return parts.length > 0 ? parts.join(' · ') : protocolLabel('http/1.1');
}

/**
 * The name under which a tier's figures are followed over runs: its own name when plain, "name · variant"
 * otherwise, so that the same name run over another protocol or churn is another series, never one that steps.
 */
export function tierSeriesName(t: { name: string } & TierVariantFields): string {
  return isPlainTier(t) ? t.name : `${t.name} · ${variantLabel(t)}`;
}
