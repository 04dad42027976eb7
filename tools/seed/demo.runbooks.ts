// Demo runbooks (issue 13), written through the API after the incident history: the old
// free-text runbooks as each service's first runbook, two written out section by section,
// some overdue for review, and feedback from incidents (one gap turned into a linked item).
// Times are then moved back like the rest of the history, so freshness and coverage read
// like an organisation that has kept runbooks for a while.
import { addDays } from '@hindsight/domain';
import { DEMO_SERVICES, DEMO_TEAMS, type DemoPerson, type DemoTeam } from './demo.catalog';
import type { InProcessApi } from './in-process-api';

const q = {
  runbooksOf: `query($s: ID!) { runbooks(serviceId: $s) { id version } }`,
  createRunbook: `mutation($s: ID!, $i: RunbookInput!) { createRunbook(serviceId: $s, input: $i) { id version } }`,
  updateRunbook: `mutation($id: ID!, $v: Int!, $i: RunbookInput!, $note: String) { updateRunbook(id: $id, expectedVersion: $v, input: $i, note: $note) { id version } }`,
  feedback: `mutation($inc: ID!, $rb: ID!, $v: RunbookVerdict!, $note: String) { recordRunbookFeedback(incidentId: $inc, runbookId: $rb, verdict: $v, note: $note) { id } }`,
  createActionItem: `mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { id } }`,
} as const;

/** Written out in full: what an on-call engineer needs at 3 a.m. */
const FULL_RUNBOOKS: { service: string; title: string; sections: Record<string, string> }[] = [
  {
    service: 'checkout-api',
    title: 'Card declines spike',
    sections: {
      detection: '- Checkout error-rate panel, split by acquirer\n- Decline codes in the last 15 minutes: a single code dominating points at the acquirer',
      mitigation: '1. Switch traffic to the backup acquirer (feature flag `acquirer.failover`)\n2. Post in #payments-incidents that failover is on',
      verification: 'Decline rate back under 2 % for 10 minutes; the failover flag shows in the checkout dashboard.',
      escalation: 'Page the Payments on-call; after 30 minutes without mitigation, the Payments manager and the acquirer account contact.',
      rollback: 'Turn the failover flag off once the primary acquirer confirms recovery; never during a settlement window.',
      pitfalls: 'Restarting checkout pods does not help and drops in-flight payments.',
    },
  },
  {
    service: 'event-bus',
    title: 'Consumer lag above 5 minutes',
    sections: {
      detection: 'Consumer-lag panel per consumer group; broker disk and ISR panels.',
      mitigation: '1. Find the lagging consumer group\n2. Scale its consumers up to the partition count',
      verification: 'Lag falling steadily for 10 minutes.',
      escalation: 'Platform on-call first; the owning team of the lagging consumer next.',
    },
  },
];

/** Returns how many runbooks and linked action items it wrote. */
export async function seedRunbooks(api: InProcessApi, tokens: Record<DemoPerson | 'admin', string>, services: Record<string, string>, now: Date): Promise<{ runbooks: number; actionItems: number }> {
  const created: { id: string; version: number }[] = [];
  const managerOf = (team: DemoTeam) => tokens[DEMO_TEAMS[team].manager];
  for (const s of DEMO_SERVICES.filter((x) => x.runbook)) {
    const team = DEMO_TEAMS[s.team].name;
    const escalation = `Page the ${team} on-call; after 30 minutes without mitigation, the ${team} manager.`;
    // createService already made the first runbook from the service's text (as the migration
    // did for existing installations); its team adds the escalation path as revision 2.
    const [first] = (await api.gql<{ runbooks: { id: string; version: number }[] }>(managerOf(s.team), q.runbooksOf, { s: services[s.name] })).runbooks;
    if (first) {
      const r = await api.gql<{ updateRunbook: { id: string; version: number } }>(managerOf(s.team), q.updateRunbook, { id: first.id, v: first.version, i: { escalation }, note: 'Escalation path' });
      created.push(r.updateRunbook);
      continue;
    }
    const r = await api.gql<{ createRunbook: { id: string; version: number } }>(managerOf(s.team), q.createRunbook, {
      s: services[s.name],
      i: { title: `${s.name} runbook`, mitigation: s.runbook, escalation },
    });
    created.push(r.createRunbook);
  }
  for (const f of FULL_RUNBOOKS) {
    const s = DEMO_SERVICES.find((x) => x.name === f.service);
    if (!s) throw new Error(`demo runbook for an unknown service ${f.service}`);
    const r = await api.gql<{ createRunbook: { id: string; version: number } }>(managerOf(s.team), q.createRunbook, { s: services[s.name], i: { title: f.title, ...f.sections, reviewIntervalDays: 60 } });
    created.push(r.createRunbook);
  }
  // One runbook improved after an incident: revision 2.
  const card = created[created.length - 2];
  await api.gql(tokens.engineer, q.updateRunbook, { id: card.id, v: 1, i: { pitfalls: 'Restarting checkout pods does not help and drops in-flight payments.\nThe backup acquirer caps at 400 payments a second.' }, note: 'Backup acquirer capacity' });

  // History: every runbook existed for 200 days; every third one has not been looked at since 120 days ago (stale now).
  const ids = created.map((c) => c.id);
  const createdAt = addDays(now, -200);
  for (const [i, id] of ids.entries()) {
    const updatedAt = i % 3 === 0 ? addDays(now, -120) : addDays(now, -20 - i);
    await api.ds.query(
      `UPDATE runbooks SET created_at = $2, updated_at = $3, review_due_at = $3::timestamptz + review_interval_days * interval '1 day' WHERE id = $1`,
      [id, createdAt, updatedAt],
    );
    await api.ds.query(`UPDATE runbook_revisions SET edited_at = CASE WHEN version = 1 THEN $2::timestamptz ELSE $3::timestamptz END WHERE runbook_id = $1`, [id, createdAt, updatedAt]);
  }

  // Feedback from the first resolved incidents since then that touched a service with a runbook.
  const touched = (await api.ds.query(
    `SELECT DISTINCT ON (i.number) i.id AS "incidentId", i.resolved_at AS "resolvedAt", r.id AS "runbookId", r.title, s.team_id AS "teamId"
       FROM incidents i JOIN incident_services x ON x.incident_id = i.id JOIN services s ON s.id = x.service_id JOIN runbooks r ON r.service_id = s.id
      WHERE i.resolved_at IS NOT NULL AND i.started_at > $1
      ORDER BY i.number, r.title
      LIMIT 6`,
    [createdAt],
  )) as { incidentId: string; resolvedAt: Date; runbookId: string; title: string; teamId: string }[];
  const verdicts = [
    ['HELPED', 'Failover steps worked as written.'],
    ['MISSING_STEPS', 'Nothing on checking the upstream status page before failing over.'],
    ['HELPED', null],
    ['OUTDATED', 'The dashboard link moved to the new Grafana folder.'],
    ['NOT_USED', null],
    ['WRONG', 'The consumer group named in step 1 was renamed last quarter.'],
  ] as const;
  let actionItems = 0;
  for (const [i, t] of touched.entries()) {
    const [verdict, note] = verdicts[i % verdicts.length];
    await api.gql(tokens.commander, q.feedback, { inc: t.incidentId, rb: t.runbookId, v: verdict, note });
    await api.ds.query(`UPDATE runbook_feedback SET created_at = $3 WHERE incident_id = $1 AND runbook_id = $2`, [t.incidentId, t.runbookId, t.resolvedAt]);
    if (verdict === 'MISSING_STEPS') {
      await api.gql(tokens.commander, q.createActionItem, {
        id: t.incidentId,
        input: { title: `Runbook "${t.title}": add the missing steps`, description: note, kind: 'PROCESS', priority: 'P2', ownerTeamId: t.teamId, addressesRunbookId: t.runbookId },
      });
      actionItems++;
    }
  }
  return { runbooks: ids.length, actionItems };
}
