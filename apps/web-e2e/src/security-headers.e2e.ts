/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see DOM types too.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { launchBrowser, WEB_ROOT } from './support/browser';

/*
 * The built web app under its Content-Security-Policy in Chromium: every page renders
 * without a single violation, and the policy is really enforced (an injected inline script
 * does not run). A violation shows as a `securitypolicyviolation` event and a console error.
 */
let api: ApiHarness;
let browser: Browser;
let page: Page;
const consoleViolations: string[] = [];

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  page = await browser.newPage();
  // Registered over the DevTools protocol before any page script, so the CSP does not apply to it.
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) consoleViolations.push(m.text());
  });
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

it('serves the shell with the policy and without inline scripts', async () => {
  const res = await fetch(`${api.url}/`, { headers: { accept: 'text/html' } });
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await res.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toMatch(/\bsrc="\/assets\//);
  expect(html).not.toMatch(/\son[a-z]+="/);
});

it('renders every page without a CSP violation', async () => {
  // Signed in with a session token from the API: this test is about the pages, not the sign-in form.
  const token = await api.login();
  await page.goto(`${api.url}/signin`);
  await page.evaluate((t) => window.localStorage.setItem('hindsight.token', t), token);
  for (const path of ['/', '/incidents', '/incidents/new', '/action-items', '/services', '/teams', '/settings', '/reliability', '/reliability/review', '/account/sessions', '/account/password']) {
    await page.goto(`${api.url}${path}`);
    await page.getByTestId('signed-in-user').waitFor();
    await page.locator('main h1, main h2').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect({ path, violations: await violations() }).toEqual({ path, violations: [] });
  }
  expect(consoleViolations).toEqual([]);
}, 120_000);

it('enforces it: an injected inline script does not run and is reported', async () => {
  await page.goto(`${api.url}/incidents`);
  await page.getByTestId('signed-in-user').waitFor();
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.injectedRan = true';
    document.body.appendChild(s);
    await new Promise((r) => setTimeout(r, 100));
    return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
  });
  expect(ran).toBe(false);
  expect((await violations()).some((v) => v.startsWith('script-src'))).toBe(true);
  consoleViolations.length = 0;
});
