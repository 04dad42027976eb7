import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a request may read /metrics: always when METRICS_TOKEN is unset; otherwise only
 * with `Authorization: Bearer <token>`, compared in constant time (digests of equal length,
 * so neither the token's characters nor its length leak through timing).
 */
export function metricsAuthorized(authorization: string | string[] | undefined, token: string | null): boolean {
  if (token === null) return true;
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

export const METRICS_UNAUTHORIZED = { error: 'Unauthorized', message: 'METRICS_TOKEN is set: send "Authorization: Bearer <METRICS_TOKEN>" to read /metrics' };
