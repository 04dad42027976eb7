/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import type { ApiHarness } from '@hindsight/server-app/testing';
import { must, Scenario } from '@hindsight/server-testing';

export interface Person {
  id: string;
  email: string;
  password: string;
  name: string;
}

export async function createPerson(api: ApiHarness, admin: string, name: string, role: string): Promise<Person> {
  const email = `${name.split(' ')[0]?.toLowerCase()}@test.local`;
  const password = `${role.toLowerCase()}-password-1`;
  const { id } = await new Scenario(api, admin).person({ email, name, role, password });
  return { id, email, password, name };
}

export async function createTeamWithService(api: ApiHarness, admin: string, team: string, service: string, memberIds: string[], managerId?: string): Promise<{ teamId: string; serviceId: string }> {
  const world = new Scenario(api, admin);
  const teamId = await world.team({ name: team, memberIds, managerId });
  return { teamId, serviceId: await world.service({ name: service, teamId, revenuePerMinute: 120 }) };
}

export async function gqlAs<T>(api: ApiHarness, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return must<T>(api, query, variables, token);
}

/** Fills the sign-in form the page shows and submits it; waits until signed in unless told not to. */
export async function fillSignIn(page: Page, person: { email: string; password: string }, options: { waitSignedIn?: boolean } = {}): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (options.waitSignedIn ?? true) await page.getByTestId('signed-in-user').waitFor();
}

/** Opens the sign-in page and signs in. */
export async function signInAt(page: Page, url: string, person: { email: string; password: string }, options: { waitSignedIn?: boolean } = {}): Promise<void> {
  await page.goto(`${url}/signin`);
  await fillSignIn(page, person, options);
}

/** Opens `path` signed out, is sent to the sign-in page, and signs in. */
export async function signIn(page: Page, url: string, person: { email: string; password: string }, path = '/incidents'): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.waitForURL(`${url}/signin`);
  await fillSignIn(page, person);
}

/** Opens the header's account menu (the person's name) and picks an entry: "Sign out", "API tokens"… */
export async function accountMenu(page: Page, item: 'Your settings' | 'Your sessions' | 'API tokens' | 'Change password' | 'Sign out'): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

export async function signOut(page: Page, url: string): Promise<void> {
  await accountMenu(page, 'Sign out');
  await page.waitForURL(`${url}/signin`);
}

/** Presses Tab until the focused element's accessible text matches, like a keyboard user would. */
export async function tabTo(page: Page, text: RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const id = el.getAttribute('id');
      const labelled = id ? document.querySelector(`label[for="${id}"]`)?.textContent : null;
      return `${labelled ?? ''} ${el.getAttribute('aria-label') ?? ''} ${el.textContent ?? ''}`;
    });
    if (text.test(label)) return;
  }
  throw new Error(`Tab never reached ${text}`);
}

/** A stored payload that would set window.__xss if any of it ran. */
export const XSS = `<script>window.__xss = 'script'</script><img src=x onerror="window.__xss = 'img'"> [link](javascript:window.__xss='link') <svg onload="window.__xss='svg'"></svg>`;

export async function assertNoScriptRan(page: Page): Promise<void> {
  // Give a late onerror (the broken image) time to fire if it was going to.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBeNull();
  expect(await page.evaluate(() => document.querySelectorAll('[onerror], [onload], a[href^="javascript:"]').length)).toBe(0);
}

/**
 * Where a responder meets a runbook: the Payments team (members `memberIds`) owns checkout-api,
 * its runbook "Card declines spike", and the SEV2 incident "Card declines at checkout" on it
 * (INC-1 in a fresh database).
 */
export async function cardDeclinesAtCheckout(api: ApiHarness, admin: string, memberIds: string[]): Promise<{ serviceId: string; runbookId: string; incidentId: string }> {
  const { serviceId } = await createTeamWithService(api, admin, 'Payments', 'checkout-api', memberIds);
  const world = new Scenario(api, admin);
  const { createRunbook } = await world.ok<{ createRunbook: { id: string } }>(`mutation($s: ID!, $i: RunbookInput!) { createRunbook(serviceId: $s, input: $i) { id } }`, {
    s: serviceId,
    i: { title: 'Card declines spike', mitigation: 'Fail over to the backup acquirer.' },
  });
  const incident = await world.incident({ title: 'Card declines at checkout', summary: 'The acquirer refused cards for 20 minutes.', startedAt: '2026-11-18T09:00:00Z', serviceIds: [serviceId] });
  return { serviceId, runbookId: createRunbook.id, incidentId: incident.id };
}
