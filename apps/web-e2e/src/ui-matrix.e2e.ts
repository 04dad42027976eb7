/// <reference lib="dom" />
// Every route × persona × width (issue 23): no horizontal page overflow, exactly one h1, no
// console errors, no critical or serious axe findings, every action in the page reachable by the
// keyboard; on a phone the header stays one row with a working menu button.
//
// Built to be cheap enough for every run: one API and one browser for the file, one signed-in
// context per persona (signed in once), each route opened once per persona (ADMIN by its address,
// the others by moving there inside the app) and checked at 1440, 768 and 390 px by resizing. axe runs at 1440 px for every persona and at 390 px (the
// phone layout: cards, folded header) for the persona who sees the most (ADMIN); 768 px shares
// the phone's header and the desktop's content rules, so it gets the layout and keyboard checks;
// a persona whose page has the same markup as one axe already checked is not checked again. The
// four personas' pages work side by side (most of a load is waiting on the API).
// UI_MATRIX_TIMES=1 prints where each case's time went and the CPU the test and browser used. Screenshots of each route at 1440 and 390 px (ADMIN's view; every persona's with
// UI_MATRIX_SCREENSHOTS=all, whole pages with UI_MATRIX_FULL_PAGE=1) go to tmp/ui-matrix/,
// never into git.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { buildWholePage, launchBrowser, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, fillSignIn, gqlAs, type Person } from './support/incident.fixtures';

jest.setTimeout(60_000);

const WIDTHS = [1440, 768, 390] as const;
const PERSONAS = ['ADMIN', 'COMMANDER', 'MANAGER', 'VIEWER'] as const;
type Persona = (typeof PERSONAS)[number];
/** axe at 1440 px for everyone; at 390 px for the persona whose pages carry every control. */
const axeAt = (persona: Persona, width: number) => width === 1440 || (width === 390 && persona === 'ADMIN');
const SCREENSHOTS = join(process.cwd(), 'tmp', 'ui-matrix');
const screenshotAt = (persona: Persona, width: number) => (width === 1440 || width === 390) && (persona === 'ADMIN' || process.env['UI_MATRIX_SCREENSHOTS'] === 'all');

/** The routes; `:item` and `:runbook` are the ids the fixtures made. */
const ROUTES = [
  '/',
  '/incidents',
  '/incidents/new',
  '/incidents/INC-1',
  '/incidents/INC-1/postmortem',
  '/action-items',
  '/action-items/:item',
  // The page a reminder's "Need more time" opens, usually on a phone.
  '/action-items/:item?action=extend',
  '/services',
  '/teams',
  '/runbooks',
  '/runbooks/:runbook',
  '/reliability',
  '/reliability/review',
  '/settings',
  '/account/password',
  '/account/sessions',
  '/account/api-tokens',
  '/slack/link',
  '/design',
  '/no-such-page',
];

const LONG = 'with a long name that a phone has to wrap rather than scroll sideways';

interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions since the last reset. */
  errors: string[];
  /** Requests the page has started and not yet finished. */
  inflight: () => number;
}

let api: ApiHarness;
let browser: Browser;
const sessions = new Map<Persona, Session>();
const ids: Record<string, string> = {};
const started = Date.now();
const axeChecked = new Set<string>();
const counts = { loads: 0, navigations: 0, axe: 0, axeSkipped: 0 };

/** The fixtures: a team, a service with two SLOs, a resolved SEV1 with an event, a trigger, an overdue P0 item and a runbook. */
async function buildWorld(): Promise<Record<Persona, { email: string; password: string }>> {
  const admin = await api.login();
  const [commander, manager, viewer]: Person[] = await Promise.all([
    createPerson(api, admin, 'Cara Commander', 'COMMANDER'),
    createPerson(api, admin, 'Maya Manager', 'MANAGER'),
    createPerson(api, admin, 'Vera Viewer', 'VIEWER'),
  ]);
  const team = await gqlAs<{ createTeam: { id: string } }>(api, admin, `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, {
    i: { name: 'Payments and checkout reliability', managerId: manager!.id, memberIds: [commander!.id] },
  });
  const service = await gqlAs<{ createService: { id: string } }>(api, admin, `mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, {
    i: { name: 'checkout-api-gateway-eu-west', kind: 'API', teamId: team.createTeam.id, tier: 1, revenuePerMinute: 1200 },
  });
  for (const [dimension, segment] of [['AVAILABILITY', null], ['LATENCY', 'enterprise']] as const) {
    await gqlAs(api, admin, `mutation($i: CreateSloInput!) { createSlo(input: $i) { id } }`, { i: { serviceId: service.createService.id, dimension, objective: 0.999, windowDays: 28, segment } });
  }
  const incident = await gqlAs<{ createIncident: { id: string } }>(api, admin, `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`, {
    i: {
      title: `Card payments failing for EU customers ${LONG}`,
      severity: 'SEV1',
      startedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      resolvedAt: new Date(Date.now() - 40 * 86_400_000 + 3 * 3_600_000).toISOString(),
      serviceIds: [service.createService.id],
      commanderId: commander!.id,
      impactedDimensions: ['AVAILABILITY'],
    },
  });
  const incidentId = incident.createIncident.id;
  await gqlAs(api, admin, `mutation($id: ID!, $i: TimelineEventInput!) { addTimelineEvent(incidentId: $id, input: $i) { id } }`, {
    id: incidentId,
    i: { kind: 'DETECTION', occurredAt: new Date(Date.now() - 40 * 86_400_000 + 600_000).toISOString(), description: `Error rate alert fired ${LONG}`, evidenceUrl: 'https://status.example.com/incidents/a-very-long-evidence-link-without-spaces-0123456789' },
  });
  const factor = await gqlAs<{ addContributingFactor: { id: string } }>(api, admin, `mutation($id: ID!, $i: ContributingFactorInput!) { addContributingFactor(incidentId: $id, input: $i) { id } }`, {
    id: incidentId,
    i: { category: 'CONFIG_CHANGE', description: `A gateway timeout setting was lowered ${LONG}`, isTrigger: true },
  });
  const item = await gqlAs<{ createActionItem: { id: string } }>(api, admin, `mutation($inc: ID!, $i: CreateActionItemInput!) { createActionItem(incidentId: $inc, input: $i) { id } }`, {
    inc: incidentId,
    i: {
      title: `Add a canary stage for gateway configuration ${LONG}`,
      kind: 'DETECT',
      priority: 'P0',
      ownerTeamId: team.createTeam.id,
      assigneeId: commander!.id,
      addressesFactorId: factor.addContributingFactor.id,
      dueAt: new Date(Date.now() - 20 * 86_400_000).toISOString(),
    },
  });
  ids['item'] = item.createActionItem.id;
  const runbook = await gqlAs<{ createRunbook: { id: string } }>(api, admin, `mutation($s: ID!, $i: RunbookInput!) { createRunbook(serviceId: $s, input: $i) { id } }`, {
    s: service.createService.id,
    i: { title: 'Card declines spike', detection: '# Look first\n\nThe acquirer status page.', mitigation: '## Fail over\n\n1. Switch to the backup acquirer.' },
  });
  ids['runbook'] = runbook.createRunbook.id;
  return { ADMIN: TEST_ADMIN, COMMANDER: commander!, MANAGER: manager!, VIEWER: viewer! };
}

/** A context for one persona, signed in once; every route of that persona reuses its page. */
async function signedIn(person: { email: string; password: string }): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  let inflight = 0;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', () => inflight++);
  page.on('requestfinished', () => inflight--);
  page.on('requestfailed', () => inflight--);
  await page.goto(`${api.url}/signin`);
  await fillSignIn(page, person);
  return { context, page, errors, inflight: () => inflight };
}

beforeAll(async () => {
  [api, browser] = await Promise.all([startApi({}, { webRoot: WEB_ROOT }), launchBrowser()]);
  const people = await buildWorld();
  await Promise.all(PERSONAS.map(async (p) => sessions.set(p, await signedIn(people[p]))));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

/** CPU seconds of this process's descendants still running (the browser's processes), from /proc. */
function browserCpuSeconds(): number {
  const ticks = 100;
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        const f = readFileSync(`/proc/${d}/stat`, 'utf8').slice(readFileSync(`/proc/${d}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
        return { pid: Number(d), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / ticks };
      } catch {
        return null;
      }
    })
    .filter((x): x is { pid: number; ppid: number; cpu: number } => x !== null);
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of stats) if (!mine.has(p.pid) && mine.has(p.ppid)) grew = !!mine.add(p.pid);
  }
  return stats.filter((p) => p.pid !== process.pid && mine.has(p.pid)).reduce((sum, p) => sum + p.cpu, 0);
}

afterAll(async () => {
  if (process.env['UI_MATRIX_TIMES']) {
    const own = process.cpuUsage();
    console.log(`ui-matrix: CPU ${((own.user + own.system) / 1e6).toFixed(1)} s in the test and API process, ${browserCpuSeconds().toFixed(1)} s in the browser's processes`);
  }
  for (const { context } of sessions.values()) await context.close();
  await browser?.close();
  await api?.close();
  console.log(
    `ui-matrix: ${ROUTES.length} routes × ${PERSONAS.length} personas × ${WIDTHS.length} widths (${counts.loads} page loads, ${counts.navigations} in-app navigations, ${counts.axe} axe runs, ${counts.axeSkipped} skipped as the same markup) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});

/** Until the page shows its h1 with no loading state (LoadingState), every part built, and the network has been quiet for two polls in a row. */
async function settle(session: Session): Promise<void> {
  const { page, inflight } = session;
  const ready = () => page.waitForFunction(() => !!document.querySelector('main h1:not([data-matrix-left])') && !document.querySelector('main .hs-state .hs-spinner'), undefined, { timeout: 15_000, polling: 50 }).catch(() => undefined);
  await ready();
  // Parts built only when scrolled near (WhenNear) are scrolled to first: the checks cover the whole page.
  if (await page.locator('[data-testid="when-near"]').count()) await buildWholePage(page);
  const deadline = Date.now() + 10_000;
  for (let quiet = 0; quiet < 2 && Date.now() < deadline; ) {
    await page.waitForTimeout(60);
    quiet = inflight() === 0 ? quiet + 1 : 0;
  }
  await ready();
}

/** Two animation frames: layout, ResizeObservers and the re-render they cause catch up with a new width. */
async function frames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Page width, h1 count and keyboard reachability of what main offers, measured in the page. */
async function pageProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const name = (el: Element) => {
      const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
      return `${el.tagName.toLowerCase()}${cls}${text ? ` "${text}"` : ''}`;
    };
    const shown = (el: Element) => el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });

    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      const wide = [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.hs-table-scroll, .hs-tabs, pre, .hs-trend__plot') && shown(el))
        // The innermost offenders say most: skip an element whose child is also too wide.
        .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
        .slice(0, 3)
        .map(name);
      problems.push(`page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window (${wide.join(', ') || 'nothing in the page says why'})`);
    }
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) problems.push(`${h1} h1 elements`);

    // Keyboard: no positive tabindex (it breaks the reading order), every visible control in the
    // page focusable by Tab, and nothing that reacts to a click without being a control.
    for (const el of document.querySelectorAll<HTMLElement>('[tabindex]')) if (el.tabIndex > 0) problems.push(`tabindex="${el.tabIndex}" on ${name(el)}`);
    const main = document.querySelector('main');
    if (!main) return [...problems, 'no main element'];
    const native = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="switch"], [role="combobox"]';
    // Tabs, options, radios and menu items move focus with the arrow keys inside their group (one
    // of them in the Tab order): their group is checked instead.
    const roving = /^(tab|option|radio|menuitem|menuitemradio|menuitemcheckbox|gridcell|treeitem)$/;
    for (const el of main.querySelectorAll<HTMLElement>(native)) {
      if (!shown(el) || (el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true') continue;
      if (roving.test(el.getAttribute('role') ?? '')) continue;
      if (el.closest('[inert]')) problems.push(`${name(el)} is inert`);
      else if (el.tabIndex < 0) problems.push(`${name(el)} cannot be reached by Tab (tabindex ${el.getAttribute('tabindex')})`);
    }
    for (const group of main.querySelectorAll<HTMLElement>('[role="tablist"], [role="listbox"], [role="radiogroup"], [role="grid"], [role="tree"], [role="menubar"]')) {
      if (!shown(group)) continue;
      const members = [...group.querySelectorAll<HTMLElement>('[role="tab"], [role="option"], [role="radio"], input[type="radio"], [role="gridcell"], [role="treeitem"], [role="menuitem"]')];
      if (members.length > 0 && !members.some((m) => m.tabIndex >= 0 && !(m as HTMLButtonElement).disabled)) problems.push(`${name(group)}: none of its ${members.length} entries can be reached by Tab`);
    }
    const interactive = /^(a|button|input|select|textarea|summary|label|option|details|form)$/;
    for (const el of main.querySelectorAll<HTMLElement>('*')) {
      const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
      const props = key ? ((el as unknown as Record<string, Record<string, unknown> | undefined>)[key] ?? {}) : {};
      if (!props['onClick'] && !props['onMouseDown'] && !props['onPointerDown']) continue;
      if (interactive.test(el.tagName.toLowerCase()) || !shown(el)) continue;
      if (!el.getAttribute('role') || el.tabIndex < 0) problems.push(`${name(el)} reacts to a click but is not a control the keyboard reaches`);
    }
    return problems;
  });
}

/** main's markup without its words: every element's tag, role, attribute names and class, in order (ids and texts vary). */
async function markup(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    for (const el of document.querySelector('main')?.querySelectorAll('*') ?? []) {
      const attrs = [...el.attributes].map((a) => (a.name === 'class' || a.name === 'role' || a.name.startsWith('aria-') && !a.name.endsWith('label') && !a.name.endsWith('by') && !a.name.endsWith('controls') ? `${a.name}=${a.value}` : a.name)).sort();
      parts.push(`${el.tagName}[${attrs.join(' ')}]${el.childElementCount === 0 && el.textContent?.trim() ? 't' : ''}`);
    }
    return parts.join('');
  });
}

async function axeProblems(page: Page): Promise<string[]> {
  return (await seriousAxeViolations(page)).map((v) => `axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

/** At 390 px: the header is one row, and (once per persona) the Menu button opens and closes the navigation. */
async function phoneHeaderProblems(page: Page, tryMenu: boolean): Promise<string[]> {
  const problems: string[] = [];
  const header = page.locator('header.hs-bar');
  const height = (await header.boundingBox())?.height ?? 0;
  if (height > 64) problems.push(`header is ${Math.round(height)}px tall`);
  if (!tryMenu) return problems;
  const toggle = header.getByRole('button', { name: 'Menu' });
  if (!(await toggle.isVisible())) return [...problems, 'no menu button'];
  const nav = page.getByRole('navigation', { name: 'Main' });
  if (await nav.isVisible()) problems.push('navigation shown before the menu is opened');
  await toggle.click();
  if (!(await nav.isVisible()) || (await nav.getByRole('link', { name: 'Incidents', exact: true }).count()) !== 1) problems.push('the menu button does not open the navigation');
  if ((await page.evaluate(() => document.documentElement.scrollWidth)) > 391) problems.push('the open menu makes the page wider than the window');
  await header.getByRole('button', { name: 'Close menu' }).click();
  if (await nav.isVisible()) problems.push('the menu does not close');
  return problems;
}

/** One route as one persona: loaded once at 1440 px, then checked at each width by resizing. */
async function routeProblems(route: string, persona: Persona): Promise<string[]> {
  const session = sessions.get(persona) as Session;
  const { page, errors } = session;
  const path = route.replace(':item', ids['item'] as string).replace(':runbook', ids['runbook'] as string);
  await page.setViewportSize({ width: 1440, height: 900 });
  errors.length = 0;
  const t0 = Date.now();
  // ADMIN opens every route by its address (a deep link, a fresh document); the others move
  // through the app as a person does, which saves most of a page load each.
  const current = await page.evaluate(() => location.pathname);
  if (persona === 'ADMIN' || current === path.split('?')[0]) {
    await page.goto(`${api.url}${path}`);
    counts.loads++;
  } else {
    await page.evaluate((to) => {
      // The leaving page's h1 is marked so that settle waits for the new page's own.
      document.querySelector('main h1')?.setAttribute('data-matrix-left', '');
      history.pushState(null, '', to);
      dispatchEvent(new PopStateEvent('popstate'));
    }, path);
    counts.navigations++;
  }
  const t1 = Date.now();
  await settle(session);
  const t2 = Date.now();
  const phases: string[] = [`open ${t1 - t0}`, `settle ${t2 - t1}`];
  const problems: string[] = [];
  const at = (width: number, found: string[]) => problems.push(...found.map((p) => `${route} as ${persona} at ${width}px: ${p}`));
  const stale = await page.evaluate(() => document.querySelectorAll('main h1[data-matrix-left]').length > 0 || !document.querySelector('main h1'));
  if (stale) at(1440, ['the page never showed its own h1 (still loading, or still the previous page)']);
  for (const width of WIDTHS) {
    if (width !== 1440) {
      await page.setViewportSize({ width, height: 900 });
      await frames(page);
    }
    let t = Date.now();
    at(width, await pageProblems(page));
    phases.push(`checks@${width} ${Date.now() - t}`);
    t = Date.now();
    if (axeAt(persona, width)) {
      // axe (the costliest check) once per distinct page: a persona whose page has the same
      // markup as one already checked at this width (same elements, roles, attributes) is skipped.
      // The header differs only by role and changes nothing between routes: each persona's is
      // checked on the home page; elsewhere the key is main's markup.
      const key = `${route} ${width} ${route === '/' ? persona : ''} ${await markup(page)}`;
      if (axeChecked.has(key)) counts.axeSkipped++;
      else {
        axeChecked.add(key);
        counts.axe++;
        at(width, await axeProblems(page));
      }
    }
    phases.push(`axe@${width} ${Date.now() - t}`);
    t = Date.now();
    if (width === 390) at(width, await phoneHeaderProblems(page, route === '/'));
    if (width === 1440) {
      const height = Math.round((await page.locator('header.hs-bar').boundingBox())?.height ?? 0);
      if (height !== 56) at(width, [`the header is ${height}px tall, not one 56px row`]);
    }
    if (screenshotAt(persona, width)) {
      const file = `${route.replace(/[:?=]/g, '').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}-${persona.toLowerCase()}-${width}.png`;
      await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: process.env['UI_MATRIX_FULL_PAGE'] === '1' });
    }
  }
  if (process.env['UI_MATRIX_TIMES']) console.log(`${route} ${persona}: ${phases.join(', ')}, total ${Date.now() - t0}`);
  return [...problems, ...errors.map((e) => `${route} as ${persona}: console error: ${e}`)];
}

describe('every route × persona × width', () => {
  // The four personas' pages work side by side: most of a page load is waiting on the API.
  it.each(ROUTES)('%s as ADMIN, COMMANDER, MANAGER and VIEWER: fits 1440/768/390 px, one h1, no console errors, no serious axe findings, keyboard reaches every action', async (route) => {
    const problems = (await Promise.all(PERSONAS.map((persona) => routeProblems(route, persona)))).flat();
    if (problems.length > 0) throw new Error(`${problems.length} problem(s):\n${problems.join('\n')}`);
  });

  it('shows a role what it may not use as a page saying so, never the forms', async () => {
    const { page } = sessions.get('VIEWER') as Session;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${api.url}/incidents/new`);
    await page.getByText('This page is not available to your role.').waitFor();
    expect(await page.getByRole('button', { name: /Declare/ }).count()).toBe(0);
    await page.goto(`${api.url}/settings`);
    await page.getByRole('heading', { level: 1, name: 'Your settings' }).waitFor();
    await page.getByRole('heading', { name: 'Your API tokens' }).waitFor();
    expect(await page.getByText('Could not load').count()).toBe(0);
    expect(await page.getByRole('heading', { name: /Policies|People|Notification channels/ }).count()).toBe(0);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Incidents', 'Action items', 'Reliability', 'Services', 'Runbooks', 'Teams']);
  });

  it('fits the sign-in page (signed out) at every width, with one h1 and no serious axe findings', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${api.url}/signin`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      const problems: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await frames(page);
        problems.push(...(await pageProblems(page)).map((p) => `/signin signed out at ${width}px: ${p}`));
        if (width !== 768) problems.push(...(await axeProblems(page)).map((p) => `/signin signed out at ${width}px: ${p}`));
      }
      problems.push(...errors.map((e) => `/signin signed out: console error: ${e}`));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
