import type { FastifyInstance } from 'fastify';

/**
 * The web app's Content-Security-Policy. Scripts only from this origin (the build has no
 * inline script), so an injected `<script>` or `onerror=` does not run even if it got past
 * DOMPurify. Style sheets come from this origin and no `style="…"` attribute is applied
 * (`style-src-attr 'none'`): a stored `<div style="position:fixed">` cannot cover the page even
 * if it got past the sanitiser. The app's own computed styles (React's `style` prop, uPlot) are
 * set through the CSSOM, which this directive does not govern. Images may be any https URL
 * because postmortems link screenshots and graphs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'none'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response of the API and the web app; HSTS only when PUBLIC_URL is https. */
export function securityHeaders(publicUrl: string): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-content-type-options': 'nosniff',
    // For browsers without frame-ancestors.
    'x-frame-options': 'DENY',
    ...(publicUrl.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/**
 * Sets them before any handler runs, so static files, GraphQL, health and 404s all carry
 * them. GraphiQL (development only) loads its scripts from a CDN: it gets no CSP.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, publicUrl: string): void {
  const headers = securityHeaders(publicUrl);
  const withoutCsp = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'content-security-policy'));
  fastify.addHook('onRequest', async (request, reply) => {
    reply.headers(request.url.startsWith('/graphiql') ? withoutCsp : headers);
  });
}
