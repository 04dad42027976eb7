/// <reference lib="dom" />
// `npm run bench:web`: speed as people feel it (issue 23). The API (its own process) serves the
// production web build (`dist/apps/web`, built first if missing; BENCH_BUILD=1 rebuilds) over the
// demo organisation (`npm run seed`'s year of incidents, on a fresh database). Debian's Chromium
// loads each main route, signed in, with the CPU throttled 4× (DevTools'
// Emulation.setCPUThrottlingRate), and the bench prints per route:
//   - paint: first-contentful-paint and largest-contentful-paint, ms from navigation start;
//   - content: the moment the page's h1 is in <main> and no loading spinner is left there;
//   - interactive: content rendered, the network idle and no long task for a second after —
//     the end of the last long task (or content, if later);
//   - JS: the page's own JavaScript (gzipped) that the browser fetched beyond the shared chunk
//     (the entry and what it imports statically, from the Vite manifest).
// Each route is loaded BENCH_RUNS times (3 by default) in a new tab of one browser (the HTTP cache
// warm after the first, as for a returning user) and the median printed; the first, cold load of
// the app is printed on its own. BENCH_ROUTES (comma-separated words) loads only the routes whose
// path contains one of them (BENCH_ROUTES=/reliability). The page's element count once
// interactive is printed too: unlike the timings it does not move with the machine's load.
// BENCH_WATERFALL=1 prints, for each route's last load, when each request and long task began and
// ended and when content came: where the time of a slow route goes. Goal:
// content and interactive ≤ 1.5 s on every route, and no route over 60 kB gzipped beyond the
// shared chunk; a verdict per route.
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { TEST_ADMIN } from '@hindsight/server-app/testing';
import { loadConfig } from '@hindsight/server-config';
import { DEMO_PASSWORD, DEMO_USERS } from '../seed/demo.catalog';
import { seedDemo } from '../seed/demo.seed';
import { median, startApiProcess, type ApiProcess } from './load.util';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const THROTTLE = Number(process.env['BENCH_CPU_THROTTLE'] ?? 4);
const GOAL_MS = 1500;
const GOAL_JS_BYTES = 60 * 1024;
const QUIET_MS = 1000;
// BENCH_WEB_ROOT=<a copy of another build> compares two builds in one session.
const WEB_ROOT = process.env['BENCH_WEB_ROOT'] ?? join(process.cwd(), 'dist', 'apps', 'web');

/** Debian's Chromium, headless, as the browser specs launch it (apps/web-e2e/src/support/browser.ts). */
function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

interface Manifest {
  [key: string]: { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] };
}

/** The shared chunk: the entry's file and everything it imports statically (loaded with every page). */
export function sharedFiles(manifest: Manifest): Set<string> {
  const shared = new Set<string>();
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (!chunk || shared.has(chunk.file)) return;
    shared.add(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return shared;
}

const gzipSizes = new Map<string, number>();
/** The gzipped size of a built file, as the API sends it (the .gz the build wrote beside it, else gzip -9 now). */
function gzipSize(file: string): number {
  let size = gzipSizes.get(file);
  if (size === undefined) {
    const path = join(WEB_ROOT, file);
    size = existsSync(`${path}.gz`) ? readFileSync(`${path}.gz`).length : gzipSync(readFileSync(path), { level: 9 }).length;
    gzipSizes.set(file, size);
  }
  return size;
}

interface Load {
  fcp: number;
  lcp: number;
  content: number;
  interactive: number;
  longTasks: number;
  /** Elements in the document once interactive. */
  nodes: number;
  /** Built JS files (relative to the web root) the page fetched. */
  scripts: string[];
  /** Requests and long tasks, ms from navigation start, in start order (BENCH_WATERFALL). */
  waterfall: { what: string; start: number; end: number }[];
}

// Runs in the page before the app: records when <main> first holds the page's h1 with no
// spinner left, the long tasks, the largest contentful paint and the GraphQL requests.
const OBSERVE = `(() => {
  const w = window;
  w.__bench = { content: 0, longTasks: [], lcp: 0 };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__bench.longTasks.push([e.startTime, e.startTime + e.duration]); }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__bench.lcp = e.startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
  const check = () => {
    if (w.__bench.content) return;
    const main = document.querySelector('main');
    if (main && main.querySelector('h1') && !main.querySelector('.hs-spinner')) {
      // The DOM is ready now; the frame that shows it is painted next.
      requestAnimationFrame(() => { w.__bench.content = w.__bench.content || performance.now(); });
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  // Which GraphQL operation each request carried, for the waterfall.
  w.__bench.operations = [];
  const fetch0 = w.fetch;
  w.fetch = (input, init) => {
    const started = performance.now();
    let name = '';
    try { name = JSON.parse(String(init && init.body)).operationName || ''; } catch {}
    const done = () => w.__bench.operations.push({ what: 'graphql ' + name, start: started, end: performance.now() });
    const answer = fetch0(input, init);
    answer.then(done, done);
    return answer;
  };
})();`;

async function loadOnce(context: BrowserContext, origin: string, path: string): Promise<Load> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const scripts: string[] = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.origin === origin && url.pathname.endsWith('.js')) scripts.push(url.pathname.slice(1));
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}${path}`, { waitUntil: 'load' });
  await page.waitForFunction(() => (window as unknown as { __bench: { content: number } }).__bench.content > 0, undefined, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  // Interactive once no long task has run for QUIET_MS (measured in the page's own clock).
  await page.waitForFunction(
    (quiet) => {
      const b = (window as unknown as { __bench: { longTasks: [number, number][] } }).__bench;
      const last = Math.max(0, ...b.longTasks.map((t) => t[1]));
      return performance.now() - last >= quiet;
    },
    QUIET_MS,
    { timeout: 60_000, polling: 100 },
  );
  const m = await page.evaluate(() => {
    const b = (window as unknown as { __bench: { content: number; lcp: number; longTasks: [number, number][] } }).__bench;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
    return {
      fcp, lcp: b.lcp, content: b.content, lastLongTask: Math.max(0, ...b.longTasks.map((t) => t[1])), longTasks: b.longTasks.length, nodes: document.getElementsByTagName('*').length,
      waterfall: [
        ...(b as unknown as { operations: { what: string; start: number; end: number }[] }).operations,
        ...performance.getEntriesByType('resource').filter((e) => !e.name.endsWith('/graphql')).map((e) => {
          const r = e as PerformanceResourceTiming;
          const url = new URL(r.name);
          return { what: `${r.initiatorType} ${url.pathname}${url.search.slice(0, 40)}`, start: r.startTime, end: r.responseEnd };
        }),
        ...b.longTasks.map(([start, end]) => ({ what: 'long task', start, end })),
      ].sort((x, y) => x.start - y.start),
    };
  });
  if (errors.length) throw new Error(`${path}: errors in the page: ${errors.join('; ')}`);
  await page.close();
  return { fcp: m.fcp, lcp: m.lcp, content: m.content, interactive: Math.max(m.content, m.lastLongTask), longTasks: m.longTasks, nodes: m.nodes, scripts, waterfall: m.waterfall };
}

async function signedIn(browser: Browser, api: ApiProcess, email: string, password: string): Promise<BrowserContext> {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: email, p: password } }),
  });
  const body = (await res.json()) as { data?: { login: { token: string } }; errors?: unknown };
  if (!body.data) throw new Error(`sign-in failed for ${email}: ${JSON.stringify(body.errors)}`);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(`window.localStorage.setItem('hindsight.token', ${JSON.stringify(body.data.login.token)});`);
  await context.addInitScript(OBSERVE);
  return context;
}

async function pathsOfDemo(api: ApiProcess, token: string): Promise<Record<string, string>> {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `query { incidents(filter: {}, first: 50) { nodes { reference postmortem { status } actionItems { id } timeline { id } } } runbooks { id } }`,
    }),
  });
  const body = (await res.json()) as {
    data?: { incidents: { nodes: { reference: string; postmortem: { status: string } | null; actionItems: { id: string }[]; timeline: { id: string }[] }[] }; runbooks: { id: string }[] };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`could not read the demo: ${JSON.stringify(body.errors)}`);
  // The richest published incident: the heaviest incident and postmortem pages of the demo.
  const published = body.data.incidents.nodes.filter((i) => i.postmortem?.status === 'PUBLISHED');
  const [richest] = [...published].sort((a, b) => b.timeline.length + b.actionItems.length - (a.timeline.length + a.actionItems.length));
  if (!richest) throw new Error('the demo has no published postmortem');
  const item = richest.actionItems[0];
  const [runbook] = body.data.runbooks;
  if (!item || !runbook) throw new Error('the demo has no action item or runbook');
  return { incident: richest.reference, item: item.id, runbook: runbook.id };
}

async function main(): Promise<void> {
  const manifestPath = join(WEB_ROOT, '.vite', 'manifest.json');
  if (process.env['BENCH_BUILD'] === '1' || !existsSync(manifestPath)) {
    console.log('building the web app (npm run build:web)…');
    execSync('npm run build:web', { stdio: 'inherit' });
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const shared = sharedFiles(manifest);
  const sharedJs = [...shared].filter((f) => f.endsWith('.js'));
  const sharedBytes = sharedJs.reduce((n, f) => n + gzipSize(f), 0);

  const api = await startApiProcess({ BENCH_WEB_ROOT: WEB_ROOT, BENCH_LOG_LEVEL: 'warn' });
  let browser: Browser | undefined;
  try {
    const started = Date.now();
    const config = loadConfig(
      {
        NODE_ENV: 'test', DATABASE_URL: api.dbUrl, REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
        HINDSIGHT_ADMIN_EMAIL: TEST_ADMIN.email, HINDSIGHT_ADMIN_PASSWORD: TEST_ADMIN.password, LOG_LEVEL: 'silent', JWT_SECRET: 'bench-web-secret-bench-web-secret-0123', QUEUE_PREFIX: `bench-web-${process.pid}`,
      },
      join(mkdtempSync(join(tmpdir(), 'hs-secret-')), 'jwt'),
    );
    const seeded = await seedDemo(config, () => undefined);
    console.log(`seeded the demo (${seeded.incidents} incidents) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const ids = await pathsOfDemo(api, await api.login());

    const routes: { path: string; who: string; email: string; password: string }[] = [
      ...[
        '/', '/incidents', '/incidents/new', `/incidents/${ids['incident']}`, `/incidents/${ids['incident']}/postmortem`, '/action-items', `/action-items/${ids['item']}`,
        '/services', '/teams', '/runbooks', `/runbooks/${ids['runbook']}`, '/reliability', '/reliability/review', '/settings', '/account/sessions',
      ].map((path) => ({ path, who: 'ADMIN', ...TEST_ADMIN })),
      // Home differs by persona: what needs a commander, a manager, and leadership's week.
      ...(['commander', 'manager', 'viewer'] as const).map((p) => ({ path: '/', who: DEMO_USERS[p].role, email: DEMO_USERS[p].email, password: DEMO_PASSWORD })),
    ];

    // BENCH_ROUTES=reliability,/settings keeps the routes whose path contains one of the words.
    const only = (process.env['BENCH_ROUTES'] ?? '').split(',').map((w) => w.trim()).filter(Boolean);
    const chosen = only.length ? routes.filter((r) => only.some((w) => r.path.includes(w))) : routes;
    if (chosen.length === 0) throw new Error(`BENCH_ROUTES=${process.env['BENCH_ROUTES']} matches none of ${routes.map((r) => r.path).join(' ')}`);

    browser = await launchBrowser();
    const contexts = new Map<string, BrowserContext>();
    const contextFor = async (email: string, password: string): Promise<BrowserContext> => {
      const existing = contexts.get(email);
      if (existing) return existing;
      const context = await signedIn(browser as Browser, api, email, password);
      contexts.set(email, context);
      return context;
    };

    const cold = await loadOnce(await contextFor(TEST_ADMIN.email, TEST_ADMIN.password), api.url, '/');
    console.log(`\nCPU throttled ${THROTTLE}×, 1440×900, median of ${RUNS} loads per route (HTTP cache warm); goal ≤ ${GOAL_MS} ms to content and to interactive, ≤ 60 kB gz of JS beyond the shared chunk`);
    // The machine may be shared: its load says how far the figures are from an idle one's.
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start of the loads`);
    console.log(`shared chunk: ${sharedJs.length} files, ${(sharedBytes / 1024).toFixed(1)} kB gz`);
    console.log(`first load of the app (cold cache, /): FCP ${cold.fcp.toFixed(0)} ms, content ${cold.content.toFixed(0)} ms, interactive ${cold.interactive.toFixed(0)} ms\n`);
    const header = ['route', 'as', 'FCP', 'LCP', 'content', 'interactive', 'long tasks', 'DOM nodes', 'route JS gz', 'verdict'];
    const rows: string[][] = [];
    let failures = 0;
    for (const route of chosen) {
      const context = await contextFor(route.email, route.password);
      const loads: Load[] = [];
      for (let i = 0; i < RUNS; i++) loads.push(await loadOnce(context, api.url, route.path));
      const own = new Set(loads.flatMap((l) => l.scripts).filter((f) => !shared.has(f)));
      const ownBytes = [...own].reduce((n, f) => n + gzipSize(f), 0);
      const r = {
        fcp: median(loads.map((l) => l.fcp)), lcp: median(loads.map((l) => l.lcp)), content: median(loads.map((l) => l.content)),
        interactive: median(loads.map((l) => l.interactive)), longTasks: median(loads.map((l) => l.longTasks)), nodes: median(loads.map((l) => l.nodes)),
      };
      const misses = [
        ...(r.content > GOAL_MS ? [`content ${r.content.toFixed(0)} ms`] : []),
        ...(r.interactive > GOAL_MS ? [`interactive ${r.interactive.toFixed(0)} ms`] : []),
        ...(ownBytes > GOAL_JS_BYTES ? [`JS ${(ownBytes / 1024).toFixed(1)} kB`] : []),
      ];
      if (misses.length) failures++;
      if (process.env['BENCH_WATERFALL'] === '1') {
        const last = loads[loads.length - 1] as Load;
        console.log(`\n${route.path} as ${route.who}: FCP ${last.fcp.toFixed(0)} ms, content ${last.content.toFixed(0)} ms`);
        for (const w of last.waterfall) console.log(`  ${w.start.toFixed(0).padStart(5)} → ${w.end.toFixed(0).padStart(5)} ms  ${w.what}`);
      }
      rows.push([
        route.path, route.who, `${r.fcp.toFixed(0)} ms`, `${r.lcp.toFixed(0)} ms`, `${r.content.toFixed(0)} ms`, `${r.interactive.toFixed(0)} ms`, String(r.longTasks), String(r.nodes),
        `${(ownBytes / 1024).toFixed(1)} kB (${own.size} files)`, misses.length ? `FAIL: ${misses.join(', ')}` : 'ok',
      ]);
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    console.log(`\n${failures === 0 ? 'PASS' : 'FAIL'}: ${chosen.length - failures} of ${chosen.length} routes within the goals`);
    process.exitCode = failures === 0 ? 0 : 1;
  } finally {
    await browser?.close();
    await api.close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
