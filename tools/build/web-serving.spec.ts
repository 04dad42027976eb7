import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { webCacheControl } from '@hindsight/server-app';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { precompress } from './precompress';

/*
 * The web app served as production sites do: the shell revalidated on every load (so an
 * upgrade is seen at once), content-hashed assets cached for a year, and both sent as the
 * brotli or gzip bytes written at build time. Real server, raw HTTP (fetch would decode).
 */

const WEB_ROOT = mkdtempSync(join(tmpdir(), 'hs-web-serve-'));
mkdirSync(join(WEB_ROOT, 'assets'));
const shell = `<!doctype html><title>Hindsight</title><div id="root"></div><script type="module" src="/assets/index-AbC123.js"></script>${'<!-- padding -->'.repeat(100)}`;
const script = `export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: i, title: `Action item ${i}` })))};\n`;
writeFileSync(join(WEB_ROOT, 'index.html'), shell);
writeFileSync(join(WEB_ROOT, 'assets', 'index-AbC123.js'), script);
writeFileSync(join(WEB_ROOT, 'assets', 'tiny-Zz9.css'), 'a{color:red}');

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

let api: ApiHarness;

function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  const url = new URL(path, api.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const written = precompress(WEB_ROOT);
  // Both large files get both encodings; the file too small to gain is left plain.
  expect(written.map((w) => w.path.slice(WEB_ROOT.length)).sort()).toEqual(['/assets/index-AbC123.js.br', '/assets/index-AbC123.js.gz', '/index.html.br', '/index.html.gz']);
  api = await startApi({}, { webRoot: WEB_ROOT });
});
afterAll(async () => {
  await api.close();
});

describe('caching', () => {
  it('revalidates the shell on every load, at / and at every client route', async () => {
    for (const path of ['/', '/index.html', '/incidents/INC-12', '/action-items?filter=mine']) {
      const res = await get(path, { accept: 'text/html' });
      expect({ path, status: res.status, cache: res.headers['cache-control'] }).toEqual({ path, status: 200, cache: 'no-cache' });
      expect(res.body.toString()).toBe(shell);
    }
  });

  it('keeps content-hashed assets for a year without asking', async () => {
    for (const path of ['/assets/index-AbC123.js', '/assets/tiny-Zz9.css']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('decides by where the file lives', () => {
    expect(webCacheControl('/srv/web/assets/index-AbC123.js.br')).toBe('public, max-age=31536000, immutable');
    expect(webCacheControl('/srv/web/index.html')).toBe('no-cache');
    expect(webCacheControl('C:\\web\\assets\\x.js')).toBe('public, max-age=31536000, immutable');
  });
});

describe('compression', () => {
  it.each([
    ['br', brotliDecompressSync],
    ['gzip', gunzipSync],
  ] as const)('sends %s bytes that decode to the file, with its own type', async (encoding, decode) => {
    const asset = await get('/assets/index-AbC123.js', { 'accept-encoding': `${encoding}` });
    expect(asset.headers['content-encoding']).toBe(encoding);
    expect(asset.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(asset.headers['vary']).toMatch(/accept-encoding/i);
    expect(asset.body.length).toBeLessThan(Buffer.byteLength(script) / 3);
    expect(decode(asset.body).toString()).toBe(readFileSync(join(WEB_ROOT, 'assets', 'index-AbC123.js'), 'utf8'));

    const page = await get('/incidents/INC-7', { accept: 'text/html', 'accept-encoding': `${encoding}` });
    expect(page.headers['content-encoding']).toBe(encoding);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(decode(page.body).toString()).toBe(shell);
  });

  it('prefers brotli when the browser accepts both, and sends the plain file to a client that accepts neither', async () => {
    const both = await get('/assets/index-AbC123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(both.headers['content-encoding']).toBe('br');
    const plain = await get('/assets/index-AbC123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('keeps API paths out of the fallback', async () => {
    const res = await get('/api/nothing-here', { accept: 'text/html' });
    expect(res.status).toBe(404);
  });
});
