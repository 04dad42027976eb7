import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { ChaseSweepService, NO_SMTP_ERROR } from '@hindsight/server-chase';
import { daysAgo, daysFromNow, Rows } from '@hindsight/server-testing';

/*
 * Escalation truth (issue 23) through the real API, with the ledger written by the real sweep
 * on a server without e-mail (no SMTP_URL), as an installation starts: every step that came
 * due shows whom it reached or why nobody; operator advice only for ADMINs.
 */

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const DAY = 86_400_000;
const prefix = `hs-escalation-${randomBytes(4).toString('hex')}`;

let api: ApiHarness;
let db: Client;
let admin: string;
let commander: string;
let users: Record<string, string> = {};
let teamId: string;
let incidentId: string;
const sql = new SqlCounter();

interface Step { step: string; dueAt: string; state: string; reached: string[]; reason: string | null; adminHint: string | null; adminPath: string | null }
const ESCALATION = `query($id: ID!) { actionItem(id: $id) { escalation { step dueAt state reached reason adminHint adminPath } nudges { step lastError } } }`;

async function item(title: string, dueInDays: number, assignee: string | null, priority = 'P0'): Promise<string> {
  return (await new Rows(db).actionItem({ incident_id: incidentId, owner_team_id: teamId, title, priority, assignee_id: assignee, due_at: daysFromNow(dueInDays) })).id;
}

async function escalation(id: string, token: string): Promise<{ escalation: Step[]; nudges: { step: string; lastError: string | null }[] }> {
  const res = await api.gql<{ actionItem: { escalation: Step[]; nudges: { step: string; lastError: string | null }[] } }>(ESCALATION, { id }, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.actionItem;
}

const sweep = () => api.app.get(ChaseSweepService).sweep(new Date(), async () => undefined);

beforeAll(async () => {
  api = await startApi({ QUEUE_PREFIX: prefix }, { sqlCounter: sql });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  admin = await api.login();
  const create = async (key: string, role: string) => {
    const res = await api.gql<{ createUser: { id: string } }>(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email: `${key}@escalation.test`, name: key, role, password: `${key}-password-1` } }, admin);
    users[key] = res.data!.createUser.id;
  };
  users = {};
  await create('casey', 'COMMANDER');
  await create('maria', 'MANAGER');
  await create('dev', 'COMMANDER');
  commander = await api.login('casey@escalation.test', 'casey-password-1');
  teamId = await new Rows(db).team({ name: 'Payments', manager_id: users['maria'] });
  await db.query(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2), ($1, $3)`, [teamId, users['dev'], users['casey']]);
  incidentId = (await new Rows(db).incident({ title: 'Card declines', severity: 'SEV1', started_at: daysAgo(40), resolved_at: daysAgo(39), commander_id: users['casey'] })).id;
}, 60_000);

afterAll(async () => {
  await db?.end();
  await api?.close();
  await dropQueueKeys(REDIS_URL, prefix);
});

describe('ActionItem.escalation after a real sweep, on a server without e-mail or channels', () => {
  it('a P0 at the LEADERSHIP step with no leadership channel says it reached nobody and why, not "no reminders yet"', async () => {
    const id = await item('Retry budget', -25, users['dev']);
    await sweep();
    const { escalation: steps } = await escalation(id, commander);
    expect(steps.map((s) => [s.step, s.state])).toEqual([
      ['DUE_SOON', 'SUPERSEDED'], ['DUE', 'SUPERSEDED'], ['OVERDUE', 'SUPERSEDED'], ['ESCALATED', 'SUPERSEDED'], ['LEADERSHIP', 'UNREACHED'],
    ]);
    expect(steps[4]).toMatchObject({ reached: [], reason: 'Payments has no notification channel; no leadership channel is configured', adminHint: null, adminPath: null });
    const asAdmin = (await escalation(id, admin)).escalation[4];
    expect(asAdmin.adminHint).toContain('Add a leadership channel');
    expect(asAdmin.adminPath).toBe('/settings#channels-heading');
  });

  it('an escalation that could not be e-mailed says so in plain words; "set SMTP_URL" only to ADMINs; the next step is announced with its date', async () => {
    const id = await item('Alert on saturation', -8, users['dev'], 'P2');
    await sweep();
    const { escalation: steps, nudges } = await escalation(id, commander);
    const escalated = steps.find((s) => s.step === 'ESCALATED');
    expect(escalated).toMatchObject({ state: 'UNREACHED', reached: [], reason: 'e-mail is not set up on this server; Payments has no notification channel', adminHint: null });
    const next = steps.at(-1)!;
    expect(next).toMatchObject({ step: 'LEADERSHIP', state: 'SCHEDULED', reached: [], reason: 'will reach nobody; Payments has no notification channel; no leadership channel is configured' });
    const due = (await db.query(`SELECT due_at FROM action_items WHERE id = $1`, [id])).rows[0].due_at as Date;
    expect(new Date(next.dueAt).getTime()).toBe(due.getTime() + 21 * DAY);
    expect(JSON.stringify(steps)).not.toContain('SMTP');
    // The reminder history speaks plainly too; the operator text is for ADMINs.
    expect(nudges.map((n) => n.lastError)).toEqual(['e-mail is not set up on this server', 'e-mail is not set up on this server']);
    const asAdmin = await escalation(id, admin);
    expect(asAdmin.escalation.find((s) => s.step === 'ESCALATED')?.adminHint).toContain('Set SMTP_URL (and SMTP_FROM) and restart the worker.');
    expect(asAdmin.nudges.map((n) => n.lastError)).toEqual([NO_SMTP_ERROR, NO_SMTP_ERROR]);
  });

  it("a step that reached the team's channel names it, and says whom it could not reach", async () => {
    const channel = (await db.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('SLACK', '#payments', 'https://hooks.slack.test/****', 'https://hooks.slack.test/payments', $1) RETURNING id`, [teamId])).rows[0].id;
    try {
      const id = await item('Shed bulk traffic', 2, users['dev'], 'P1');
      await sweep();
      // The worker delivered the Slack message.
      await db.query(`UPDATE deliveries SET status = 'SENT', sent_at = now() WHERE channel_id = $1`, [channel]);
      const { escalation: steps } = await escalation(id, commander);
      expect(steps).toEqual([
        { step: 'DUE_SOON', dueAt: expect.any(String), state: 'SENT', reached: ["Payments's Slack channel “#payments”"], reason: 'the assignee could not be e-mailed: e-mail is not set up on this server', adminHint: null, adminPath: null },
        { step: 'DUE', dueAt: expect.any(String), state: 'SCHEDULED', reached: ["Payments's Slack channel “#payments”"], reason: 'e-mail is not set up on this server', adminHint: null, adminPath: null },
      ]);
    } finally {
      await db.query(`DELETE FROM notification_channels WHERE id = $1`, [channel]);
    }
  });

  it('before anything is due: only the first step, with its date and whom it will reach', async () => {
    const id = await item('Later', 30, null, 'P3');
    const { escalation: steps } = await escalation(id, commander);
    expect(steps).toEqual([expect.objectContaining({ step: 'DUE_SOON', state: 'SCHEDULED', reached: [], reason: 'will reach nobody; e-mail is not set up on this server; Payments has no notification channel' })]);
  });
});

describe('Postmortem.escalation', () => {
  it('a postmortem past due whose step the next chase run will send: PENDING, and the steps it supersedes', async () => {
    await db.query(`INSERT INTO postmortems (incident_id, due_at) VALUES ($1, now() - interval '2 days') ON CONFLICT (incident_id) DO UPDATE SET due_at = EXCLUDED.due_at`, [incidentId]);
    const res = await api.gql<{ incident: { postmortem: { escalation: Step[] } } }>(`query($id: ID) { incident(id: $id) { postmortem { escalation { step state reason } } } }`, { id: incidentId }, commander);
    expect(res.errors).toBeUndefined();
    expect(res.data!.incident.postmortem.escalation).toEqual([
      { step: 'DUE_SOON', state: 'SUPERSEDED', reason: expect.stringContaining('only the most advanced one will be sent') },
      { step: 'DUE', state: 'SUPERSEDED', reason: expect.any(String) },
      { step: 'OVERDUE', state: 'PENDING', reason: 'due now: it goes out with the next chase run; e-mail is not set up on this server; Payments has no notification channel' },
      { step: 'ESCALATED', state: 'SCHEDULED', reason: 'will reach nobody; e-mail is not set up on this server; Payments has no notification channel' },
    ]);
  });
});

it('costs the same two statements for a page of 3 or 15 action items (no N+1)', async () => {
  const page = `{ actionItems(first: 20, filter: { priorities: [P3] }) { nodes { id escalation { step state reason adminHint } } } }`;
  const count = async () => {
    await api.gql('{ me { id } }', {}, commander);
    sql.reset();
    const res = await api.gql<{ actionItems: { nodes: unknown[] } }>(page, {}, commander);
    expect(res.errors).toBeUndefined();
    return { statements: sql.count, rows: res.data!.actionItems.nodes.length };
  };
  await item('P3 a', -3, users['dev'], 'P3');
  await item('P3 b', 5, null, 'P3');
  const few = await count();
  for (let i = 0; i < 12; i++) await item(`P3 more ${i}`, -i, i % 2 ? users['dev'] : null, 'P3');
  await sweep();
  const many = await count();
  expect(many.rows).toBe(few.rows + 12);
  expect(many.statements).toBe(few.statements);
});
