import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiHarness, startApi } from './testing';

/*
 * The edges of the API process, over real HTTP: security headers on the web app and the API
 * (HSTS only behind an https PUBLIC_URL), and /metrics behind METRICS_TOKEN when it is set.
 */
const WEB_ROOT = mkdtempSync(join(tmpdir(), 'hs-headers-web-'));
writeFileSync(join(WEB_ROOT, 'index.html'), '<!doctype html><title>Hindsight headers shell</title><div id="root"></div><script type="module" src="/assets/app.js"></script>');

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

async function get(api: ApiHarness, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api.url}${path}`, init);
}

describe('security headers (PUBLIC_URL http)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({}, { webRoot: WEB_ROOT });
  }, 60_000);
  afterAll(() => api?.close());

  it.each([
    ['the web app at /', '/', { headers: { accept: 'text/html' } }],
    ['a client-side route', '/incidents/INC-1', { headers: { accept: 'text/html' } }],
    ['/graphql', '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }],
    ['/health/live', '/health/live', {}],
    ['an unknown API path', '/api/nothing', {}],
  ])('%s carries them', async (_, path, init) => {
    const res = await get(api, path, init as RequestInit);
    expect(res.status).toBeLessThan(500);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // No style attribute applies: a stored style="position:fixed" cannot cover the page.
    expect(csp).toContain("style-src-attr 'none'");
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('the shell is still served with them', async () => {
    const res = await get(api, '/', { headers: { accept: 'text/html' } });
    expect(await res.text()).toContain('Hindsight headers shell');
  });

  it('GraphiQL (development only) loads its scripts from a CDN: it is served without the CSP', async () => {
    const res = await get(api, '/graphiql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('/metrics is open without METRICS_TOKEN', async () => {
    const res = await get(api, '/metrics');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('hindsight_http_requests_total');
  });
});

describe('an https PUBLIC_URL and METRICS_TOKEN', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ PUBLIC_URL: 'https://hindsight.example.com', METRICS_TOKEN }, { webRoot: WEB_ROOT });
  }, 60_000);
  afterAll(() => api?.close());

  it('adds Strict-Transport-Security on the web app and the API', async () => {
    for (const res of [await get(api, '/', { headers: { accept: 'text/html' } }), await get(api, '/health/live')]) {
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: `Bearer ${METRICS_TOKEN.slice(0, -1)}x` }],
    ['the token without Bearer', { authorization: METRICS_TOKEN }],
  ])('/metrics refuses %s with 401', async (_, headers) => {
    const res = await get(api, '/metrics', { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const body = await res.text();
    expect(JSON.parse(body).message).toContain('METRICS_TOKEN');
    expect(body).not.toContain('hindsight_http_requests_total');
  });

  it('/metrics answers the right bearer token', async () => {
    const res = await get(api, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('hindsight_http_requests_total');
  });

  it('health stays open for orchestrators', async () => {
    expect((await get(api, '/health/live')).status).toBe(200);
  });
});
