import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { ChaseProcessor } from '@hindsight/server-worker';
import { REDIS_URL, smtpEnv, startWorkerContext, until, withClient, SmtpReceiver, startSmtp } from '@hindsight/server-worker/testing';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { daysAgo, Rows, Scenario } from '@hindsight/server-testing';

/*
 * A leaver's work is not lost (issue 12): deactivating a person unassigns their open items,
 * remembering who had them, and the chaser's next sweep takes each overdue one to the owning
 * team's manager — through the real API, a real worker and a loopback SMTP server.
 */
describe('deactivation: items unassigned "was …" and chased to the manager', () => {
  let api: ApiHarness;
  let smtp: SmtpReceiver;
  let worker: INestApplicationContext;
  const prefix = `hs-deactivate-${randomBytes(4).toString('hex')}`;
  let admin: string;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await api.gql<T>(query, variables, admin);
    if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    const env = { QUEUE_PREFIX: prefix, ...smtpEnv(smtp), CHASE_INTERVAL_SECONDS: '3600', OUTBOUND_ALLOWLIST: '127.0.0.1,::1,localhost' };
    api = await startApi(env);
    admin = await api.login();
    worker = await startWorkerContext(api.db.url, env);
  }, 90_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
    await dropQueueKeys(REDIS_URL, prefix);
  }, 60_000);

  it('the deactivated assignee is no longer chased; the manager is, and the item reads "was <name>"', async () => {
    const world = new Scenario(api, admin);
    const people = await world.people({ manager: { role: 'MANAGER', name: 'Maria Manager' }, leaver: { role: 'COMMANDER', name: 'Lee Leaver' } }, 'leaver.test');
    const leaver = people.leaver.id;
    const team = await world.team({ name: 'Storage', managerId: people.manager.id, memberIds: [leaver] });
    const [item, done] = await withClient(api.db.url, async (c) => {
      const rows = new Rows(c);
      const incident = (await rows.incident({ title: 'Disk full', started_at: daysAgo(30) })).id;
      const overdue = { incident_id: incident, owner_team_id: team, priority: 'P1', assignee_id: leaver, due_at: daysAgo(2) };
      return [(await rows.actionItem({ ...overdue, title: 'Alert on disk growth', status: 'IN_PROGRESS' })).id, (await rows.actionItem({ ...overdue, title: 'Clean old snapshots', status: 'DONE' })).id];
    });

    const off = await gql<{ setUserActive: { active: boolean } }>(`mutation($u: ID!) { setUserActive(userId: $u, active: false) { active } }`, { u: leaver });
    expect(off.setUserActive.active).toBe(false);
    const ITEM = `query($id: ID!) { actionItem(id: $id) { assignee { id } previousAssignee { id name active } } }`;
    expect((await gql<{ actionItem: unknown }>(ITEM, { id: item })).actionItem).toEqual({ assignee: null, previousAssignee: { id: leaver, name: 'Lee Leaver', active: false } });
    // A finished item keeps its assignee: it is history, not work to hand over.
    expect((await gql<{ actionItem: unknown }>(ITEM, { id: done })).actionItem).toEqual({ assignee: { id: leaver }, previousAssignee: null });

    await worker.get(ChaseProcessor).sweep();
    await until(() => smtp.mails.some((m) => m.to.includes('manager@leaver.test') && m.data.includes('Alert on disk growth')), 20_000, "the manager's e-mail about the item");
    expect(smtp.mails.filter((m) => m.to.includes('leaver@leaver.test'))).toEqual([]);
    const recipients = await withClient(api.db.url, async (c) =>
      (await c.query(`SELECT d.recipient FROM deliveries d JOIN nudges n ON n.id = d.nudge_id WHERE n.subject_id = $1 AND d.channel_id IS NULL AND NOT n.superseded`, [item])).rows.map((r) => r.recipient),
    );
    expect(recipients).toEqual(['manager@leaver.test']);
  }, 60_000);
});
