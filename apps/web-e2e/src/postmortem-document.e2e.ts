/// <reference lib="dom" />
// The postmortem as one document (issue 23): reviewers read it rendered, with the blameless
// review's findings marked where they stand, and comment per section; once published, the
// page, its print and its Markdown export show the same complete document in the same order.
import type { Browser, Page } from 'playwright-core';
import { postmortemOutline } from '@hindsight/domain';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { launchBrowser, operationsDuring, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, createTeamWithService, gqlAs, signIn, type Person } from './support/incident.fixtures';

jest.setTimeout(120_000);

let api: ApiHarness;
let browser: Browser;
let admin: string;
let cora: Person;
let rita: Person;
let vic: Person;
let incidentId: string;
const TITLES = postmortemOutline().map((o) => o.title);

const gql = <T,>(query: string, variables: Record<string, unknown> = {}, token = admin) => gqlAs<T>(api, token, query, variables);

async function page(person: Person, path = '/incidents/INC-1/postmortem'): Promise<Page> {
  const p = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(p, api.url, person, path);
  await p.locator('.hs-pm-doc').waitFor();
  return p;
}

/** The document's section headings as the reader sees them (hidden ones left out). */
const visibleHeadings = (p: Page) =>
  p.evaluate(() => [...document.querySelectorAll<HTMLElement>('.hs-pm-doc h2')].filter((h) => h.offsetParent !== null && getComputedStyle(h).visibility !== 'hidden').map((h) => h.textContent?.trim() ?? ''));

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  admin = await api.login();
  cora = await createPerson(api, admin, 'Cora Commander', 'COMMANDER');
  rita = await createPerson(api, admin, 'Rita Reviewer', 'VIEWER');
  vic = await createPerson(api, admin, 'Vic Viewer', 'VIEWER');
  const { teamId, serviceId } = await createTeamWithService(api, admin, 'Payments', 'payments-api', [cora.id]);
  const created = await gql<{ createIncident: { id: string } }>(`mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`, {
    input: {
      title: 'EU checkout failures',
      severity: 'SEV2',
      startedAt: '2026-11-02T09:00:00Z',
      detectedAt: '2026-11-02T09:12:00Z',
      acknowledgedAt: '2026-11-02T09:15:00Z',
      serviceIds: [serviceId],
      commanderId: cora.id,
      customerImpact: 'Card payments declined in the EU',
      usersAffected: 3100,
    },
  });
  incidentId = created.createIncident.id;
  const id = incidentId;
  await gql(`mutation($id: ID!) { updateIncident(id: $id, input: { mitigatedAt: "2026-11-02T09:45:00Z", resolvedAt: "2026-11-02T10:30:00Z", status: RESOLVED }) { id } }`, { id });
  await gql(`mutation($id: ID!) { addTimelineEvent(incidentId: $id, input: { kind: ALERT, occurredAt: "2026-11-02T09:12:00Z", description: "Payment error rate above 5 %" }) { id } }`, { id });
  await gql(`mutation($id: ID!) { addTimelineEvent(incidentId: $id, input: { kind: CHANGE, occurredAt: "2026-11-02T09:40:00Z", description: "Pool size config rolled back" }) { id } }`, { id });
  const h = await gql<{ addHypothesis: { id: string } }>(`mutation($id: ID!) { addHypothesis(incidentId: $id, statement: "The acquirer was down") { id } }`, { id });
  await gql(`mutation($h: ID!) { decideHypothesis(id: $h, status: REJECTED, evidence: "Acquirer status page green throughout") { id } }`, { h: h.addHypothesis.id });
  await gql(`mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: CONFIG_CHANGE, description: "Pool size 5 pushed to production", isTrigger: true }) { id } }`, { id });
  await gql(`mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: OBSERVABILITY_GAP, description: "No alert on pool saturation" }) { id } }`, { id });
  await gql(`mutation($id: ID!) { addFailedSafeguard(incidentId: $id, input: { kind: CANARY, expectedBehavior: "caught the config at 1 %", whyItFailed: "config pushes skip the canary" }) { id } }`, { id });
  await gql(`mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { id } }`, {
    id,
    input: { title: 'Route config pushes through the canary', kind: 'PREVENT', priority: 'P1', ownerTeamId: teamId, assigneeId: cora.id },
  });
  const rb = await gql<{ createRunbook: { id: string } }>(`mutation($s: ID!) { createRunbook(serviceId: $s, input: { title: "Checkout rollback", mitigation: "Roll back the config" }) { id } }`, { s: serviceId });
  await gql(`mutation($id: ID!, $rb: ID!) { recordRunbookFeedback(incidentId: $id, runbookId: $rb, verdict: HELPED, note: "The rollback step worked as written") { id } }`, { id, rb: rb.createRunbook.id });
  await gql(`mutation($id: ID!, $input: PostmortemInput!) { updatePostmortem(incidentId: $id, expectedVersion: 1, input: $input) { version } }`, {
    id,
    input: {
      summary: 'A config push shrank the payments **connection pool**. It was human error.',
      impact: 'EU checkout failed for 45 minutes.',
      triggeringCause: 'Connection pool size 5 pushed without a canary.',
      whatWentWell: 'The alert fired within minutes.',
      whatWentPoorly: 'Rollback took 25 minutes to find.',
      whereWeGotLucky: 'It happened outside the sales peak.',
      lessons: 'Config is code: it needs the same rollout safety.',
    },
  });
  await gql(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { status } }`, { id, r: [rita.id] });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it('shows reviewers the rendered document with findings marked inline, one summary line and no writer', async () => {
  const p = await page(rita);
  await p.getByTestId('review-summary').waitFor();
  expect(await p.getByTestId('review-summary').textContent()).toMatch(/^Blameless review: 1 phrase to reconsider, marked in Summary/);
  // One line for the document, not one per section.
  expect(await p.getByText(/no blame-laden phrasing/i).count()).toBe(0);
  const mark = p.locator('[data-section="summary"] mark[data-rule]');
  expect(await mark.textContent()).toMatch(/human error/i);
  expect(await mark.getAttribute('title')).toMatch(/^Consider: /);
  expect(await p.locator('[data-section="summary"] .hs-markdown strong').textContent()).toBe('connection pool');
  expect(await visibleHeadings(p)).toEqual(TITLES);
  // A reviewer reads and comments; the writer is never offered.
  expect(await p.locator('.hs-pm-doc textarea').count()).toBe(0);
  expect(await p.getByRole('button', { name: /^(Write|Edit the text)$/ }).count()).toBe(0);
  expect(await seriousAxeViolations(p)).toEqual([]);
  await screenshot(p, 'postmortem-review-mode');
  await p.context().close();
});

it('takes reviewer comments per section, which the commander resolves and a bystander only reads', async () => {
  const p = await page(rita);
  const timeline = p.getByRole('complementary', { name: 'Comments on Timeline' });
  await timeline.getByRole('button', { name: 'Comment on Timeline' }).click();
  await timeline.getByLabel('Your comment on Timeline (Markdown)').fill('When did the **pool** saturate? Add that event.');
  await timeline.getByRole('button', { name: 'Add comment' }).click();
  await timeline.locator('[data-resolved="false"]', { hasText: 'When did the pool saturate?' }).waitFor();
  expect(await timeline.locator('strong', { hasText: 'pool' }).count()).toBe(1);
  await p.getByTestId('review-summary').getByText('1 open comment.').waitFor();
  // Ctrl+Enter sends from the keyboard.
  const lessons = p.getByRole('complementary', { name: 'Comments on Lessons' });
  await lessons.getByRole('button', { name: 'Comment on Lessons' }).click();
  await p.keyboard.type('Name the owner of the config pipeline.');
  await p.keyboard.press('Control+Enter');
  await lessons.locator('[data-resolved="false"]', { hasText: 'Name the owner' }).waitFor();
  await p.context().close();

  // A viewer who is not a reviewer reads the comments and may neither add nor resolve.
  const v = await page(vic);
  await v.getByRole('complementary', { name: 'Comments on Timeline' }).getByText('When did the pool saturate?').waitFor();
  expect(await v.getByRole('button', { name: /^Comment on / }).count()).toBe(0);
  expect(await v.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
  await v.context().close();

  // The commander resolves it; it folds into the section's resolved comments.
  const c = await page(cora);
  const cTimeline = c.getByRole('complementary', { name: 'Comments on Timeline' });
  await cTimeline.getByRole('button', { name: 'Resolve' }).click();
  await cTimeline.getByText('1 resolved comment').waitFor();
  expect(await cTimeline.locator('[data-resolved="false"]').count()).toBe(0);
  await c.getByTestId('review-summary').getByText('1 open comment.').waitFor();
  // The commander may still edit the text, on request.
  expect(await c.getByRole('button', { name: 'Edit the text' }).count()).toBe(1);
  await c.context().close();
});

it('publishes, and the page, its print and its export show the same complete document', async () => {
  await gql(`mutation($id: ID!) { reviewPostmortem(incidentId: $id, verdict: APPROVED) { status } }`, { id: incidentId }, await api.login(rita.email, rita.password));
  await gql(`mutation($id: ID!) { publishPostmortem(incidentId: $id) { status } }`, { id: incidentId }, await api.login(cora.email, cora.password));

  const p = await page(vic);
  // Every section, in the domain's order, with its recorded content (none is empty here).
  expect(await visibleHeadings(p)).toEqual(TITLES);
  expect(await p.locator('.hs-pm-doc').getByText('None recorded.').count()).toBe(0);
  expect(await p.locator('.hs-pm-doc').getByText('Not written yet.').count()).toBe(0);
  const text = (s: string) => p.locator(`[data-section="${s}"]`).innerText();
  expect(await text('impact')).toContain('Card payments declined in the EU; 3100 users affected');
  expect(await text('impact')).toMatch(/Time to detect: 12 min[\s\S]*Time to mitigate: 45 min[\s\S]*Time to resolve: 1 h 30 min/);
  expect(await text('timeline')).toMatch(/Payment error rate above 5 %[\s\S]*Pool size config rolled back/);
  expect(await text('triggeringCause')).toContain('Recorded as the trigger: Config change: Pool size 5 pushed to production');
  // The trigger is not repeated as the first factor.
  expect(await text('contributingFactors')).not.toContain('Pool size 5 pushed');
  expect(await text('contributingFactors')).toContain('Observability gap: No alert on pool saturation');
  expect(await text('failedSafeguards')).toContain('Canary: should have caught the config at 1 %; did not because config pushes skip the canary');
  expect(await text('hypotheses')).toContain('Rejected: The acquirer was down — Acquirer status page green throughout');
  expect(await text('actionItems')).toMatch(/P1[\s\S]*Route config pushes through the canary[\s\S]*Payments · Cora Commander[\s\S]*Open/);
  expect(await text('runbookFeedback')).toContain('Checkout rollback (payments-api): Helped — The rollback step worked as written');
  // Published and read: no review marks, no forms.
  expect(await p.locator('mark[data-rule]').count()).toBe(0);
  expect(await p.locator('textarea').count()).toBe(0);
  expect(await seriousAxeViolations(p)).toEqual([]);
  await screenshot(p, 'postmortem-document');

  // The export: the same headings in the same order (the reviews follow as an appendix).
  const res = await fetch(`${api.url}/incidents/INC-1/postmortem.md`, { headers: { authorization: `Bearer ${await api.login(vic.email, vic.password)}` } });
  const markdown = await res.text();
  const exported = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  expect(exported.slice(0, TITLES.length)).toEqual(TITLES);
  expect(exported.slice(TITLES.length)).toEqual(['Reviews']);
  for (const phrase of ['Payment error rate above 5 %', 'No alert on pool saturation', 'config pushes skip the canary', 'The acquirer was down', 'Route config pushes through the canary', 'The rollback step worked as written', 'Time to resolve: 1 h 30 min']) {
    expect(markdown).toContain(phrase);
  }

  // Print: the same headings, only the document (no navigation, buttons, review panel or
  // history), headings kept with what follows, rows never split across pages.
  await p.emulateMedia({ media: 'print' });
  expect(await visibleHeadings(p)).toEqual(TITLES);
  const print = await p.evaluate(() => {
    const shown = (el: Element) => (el as HTMLElement).offsetParent !== null;
    const h2 = document.querySelector('.hs-pm-doc h2') as HTMLElement;
    const section = document.querySelector('.hs-pm-doc__section') as HTMLElement;
    return {
      buttons: [...document.querySelectorAll('button')].filter(shown).map((b) => b.textContent),
      review: [...document.querySelectorAll('#review, #history')].filter(shown).length,
      nav: [...document.querySelectorAll('nav')].filter(shown).length,
      headingBreak: getComputedStyle(h2).breakAfter,
      rowBreaks: [...new Set([...document.querySelectorAll('.hs-pm-doc tr')].map((r) => getComputedStyle(r).breakInside))],
      // No grey boxes: sections print without background, border or shadow.
      boxes: [...new Set([getComputedStyle(section).backgroundColor, getComputedStyle(section).borderTopStyle, getComputedStyle(section).boxShadow])],
    };
  });
  expect(print).toEqual({ buttons: [], review: 0, nav: 0, headingBreak: 'avoid', rowBreaks: ['avoid'], boxes: ['rgba(0, 0, 0, 0)', 'none'] });
  for (const format of ['A4', 'Letter'] as const) {
    const pdf = await p.pdf({ format, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A complete document of this size fits on a few pages; a blank first page or a stray
    // full-page block would add pages.
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(4);
  }
  await p.context().close();
});

it('opening the incident or its postmortem asks each query once, the panels beside the page', async () => {
  const p = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(p, api.url, vic, '/incidents/INC-1');
  await p.locator('#timeline').waitFor();
  const counts = (names: string[]) => names.reduce<Record<string, number>>((n, name) => ({ ...n, [name]: (n[name] ?? 0) + 1 }), {});
  // A fresh load of the app, signed in: who it is and the page's queries start before it renders.
  const incident = counts(await operationsDuring(p, () => p.reload().then(() => p.locator('#timeline').waitFor())));
  for (const name of ['Me', 'IncidentDetail', 'IncidentChanges', 'IncidentRunbooks', 'SimilarIncidents', 'IncidentThemes']) expect([name, incident[name]]).toEqual([name, 1]);
  expect(Object.entries(incident).filter(([, n]) => n > 1)).toEqual([]);

  const postmortem = counts(await operationsDuring(p, () => p.goto(`${api.url}/incidents/INC-1/postmortem`).then(() => p.locator('.hs-pm-doc').waitFor())));
  for (const name of ['Me', 'PostmortemEditorData', 'PostmortemChecklist']) expect([name, postmortem[name]]).toEqual([name, 1]);
  expect(Object.entries(postmortem).filter(([, n]) => n > 1)).toEqual([]);
  await p.context().close();
});
