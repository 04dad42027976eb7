/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see DOM types too.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const WEB_ROOT = join(process.cwd(), 'dist', 'apps', 'web');
export const ARTIFACTS = join(process.cwd(), 'apps', 'web-e2e', 'artifacts');

/** Debian's Chromium, headless; the network flags keep it from calling home on a closed network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol, not as a <script> tag, so the app's Content-Security-Policy does not block it.
  // Once per document: a second check of the same page (another width) reuses it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Builds every part of the page that waits to be scrolled near (WhenNear in the ui library), as
 * a reader scrolling down would: once the page's own loading state is gone, each placeholder in
 * turn is scrolled into view until none is left; then back to the top.
 */
export async function buildWholePage(page: Page): Promise<void> {
  await page.waitForFunction(() => !!document.querySelector('main h1') && !document.querySelector('main .hs-state .hs-spinner'), undefined, { timeout: 30_000, polling: 100 });
  await page.waitForFunction(
    () => {
      const next = document.querySelector('[data-testid="when-near"]');
      next?.scrollIntoView({ block: 'center' });
      return !next;
    },
    undefined,
    { timeout: 30_000, polling: 100 },
  );
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** The GraphQL operations `page` sends while `act` runs, until the network is quiet again. */
export async function operationsDuring(page: Page, act: () => Promise<void>): Promise<string[]> {
  const sent: string[] = [];
  const onRequest = (r: Request) => {
    if (r.url().endsWith('/graphql') && r.method() === 'POST') sent.push((r.postDataJSON() as { operationName?: string }).operationName ?? '?');
  };
  page.on('request', onRequest);
  await act();
  await page.waitForLoadState('networkidle');
  page.off('request', onRequest);
  return sent;
}
