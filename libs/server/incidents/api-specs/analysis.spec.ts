import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { Client } from 'pg';
import { Scenario, namesField, type SignedIn } from '@hindsight/server-testing';

let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let db: Client;
let admin: string;
let commander: SignedIn;
let viewer: SignedIn;
let incidentId: string;

const ADD_EVENT = `mutation($id: ID!, $input: TimelineEventInput!) { addTimelineEvent(incidentId: $id, input: $input) { id occurredAt kind description evidenceUrl source author { id } } }`;
const ADD_HYPOTHESIS = `mutation($id: ID!, $s: String!) { addHypothesis(incidentId: $id, statement: $s) { id statement status evidence decidedAt } }`;
const DECIDE = `mutation($id: ID!, $status: HypothesisStatus!, $e: String!) { decideHypothesis(id: $id, status: $status, evidence: $e) { id status evidence decidedAt decidedBy { id } } }`;
const ADD_FACTOR = `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(incidentId: $id, input: $input) { id category description isTrigger } }`;
const ADD_SAFEGUARD = `mutation($id: ID!, $input: FailedSafeguardInput!) { addFailedSafeguard(incidentId: $id, input: $input) { id kind expectedBehavior whyItFailed } }`;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  ({ api, db, admin, world } = t = await startApiWorld());
  ({ commander, viewer } = await world.signedInPeople({ commander: 'COMMANDER', viewer: 'VIEWER' }, 'test.local'));
  ({ id: incidentId } = await world.as(commander.token).incident({ title: 'Analysed incident' }));
});

afterAll(() => t?.close());

describe('timeline', () => {
  it('records events with their author and source, and lists them by occurredAt', async () => {
    const later = await api.gql<{ addTimelineEvent: Record<string, unknown> }>(
      ADD_EVENT,
      { id: incidentId, input: { occurredAt: '2024-05-01T10:30:00Z', kind: 'MITIGATION', description: 'Rolled back', evidenceUrl: 'https://deploys.example.com/123' } },
      commander.token,
    );
    expect(later.errors).toBeUndefined();
    expect(later.data!.addTimelineEvent).toMatchObject({ kind: 'MITIGATION', source: 'MANUAL', author: { id: commander.id }, evidenceUrl: 'https://deploys.example.com/123' });
    await api.gql(ADD_EVENT, { id: incidentId, input: { occurredAt: '2024-05-01T10:02:00Z', kind: 'ALERT', description: 'Error-rate alert fired' } }, commander.token);

    const res = await api.gql<{ incident: { timeline: { kind: string; occurredAt: string }[] } }>(
      `query($id: ID) { incident(id: $id) { timeline { kind occurredAt } } }`,
      { id: incidentId },
      viewer.token,
    );
    expect(res.data!.incident.timeline).toEqual([
      { kind: 'ALERT', occurredAt: '2024-05-01T10:02:00.000Z' },
      { kind: 'MITIGATION', occurredAt: '2024-05-01T10:30:00.000Z' },
    ]);
    const audit = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'TimelineEvent'`);
    expect(audit.rows[0].n).toBe(2);
  });

  it.each([
    ['a javascript: URL', { evidenceUrl: 'javascript:alert(1)' }, 'input.evidenceUrl'],
    ['a relative URL', { evidenceUrl: '/dashboards/1' }, 'input.evidenceUrl'],
    ['an unknown kind', { kind: 'GUESS' }, 'input.kind'],
    ['a blank description', { description: ' ' }, 'input.description'],
    ['a description over 100 kB', { description: 'é'.repeat(51_201) }, 'input.description'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, change, field) => {
    const before = await t.count('timeline_events');
    const res = await api.gql(ADD_EVENT, { id: incidentId, input: { occurredAt: '2024-05-01T10:00:00Z', kind: 'NOTE', description: 'n', ...change } }, commander.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(namesField(res.errors?.[0].extensions?.field, field)).toBe(true);
    expect(await t.count('timeline_events')).toBe(before);
  });

  it('answers NOT_FOUND for an unknown incident and FORBIDDEN for a viewer', async () => {
    const input = { occurredAt: '2024-05-01T10:00:00Z', kind: 'NOTE', description: 'n' };
    expect((await api.gql(ADD_EVENT, { id: UNKNOWN, input }, commander.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(ADD_EVENT, { id: 'garbage', input }, commander.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(ADD_EVENT, { id: incidentId, input }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('hypotheses', () => {
  it('go from OPEN to CONFIRMED with evidence, once', async () => {
    const added = await api.gql<{ addHypothesis: { id: string; status: string } }>(ADD_HYPOTHESIS, { id: incidentId, s: 'The deploy at 10:00 broke checkout' }, commander.token);
    expect(added.data!.addHypothesis).toMatchObject({ status: 'OPEN' });
    const id = added.data!.addHypothesis.id;

    const noEvidence = await api.gql(DECIDE, { id, status: 'CONFIRMED', e: '  ' }, commander.token);
    expect(noEvidence.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence' });
    const reopen = await api.gql(DECIDE, { id, status: 'OPEN', e: 'x' }, commander.token);
    expect(reopen.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });

    const decided = await api.gql<{ decideHypothesis: Record<string, unknown> }>(DECIDE, { id, status: 'CONFIRMED', e: 'Rollback fixed it; canary logs show the null pointer' }, commander.token);
    expect(decided.errors).toBeUndefined();
    expect(decided.data!.decideHypothesis).toMatchObject({ status: 'CONFIRMED', decidedBy: { id: commander.id }, decidedAt: expect.any(String) });

    const again = await api.gql(DECIDE, { id, status: 'REJECTED', e: 'changed my mind' }, commander.token);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const { rows } = await db.query(`SELECT status FROM hypotheses WHERE id = $1`, [id]);
    expect(rows[0].status).toBe('CONFIRMED');

    const unknown = await api.gql(DECIDE, { id: UNKNOWN, status: 'REJECTED', e: 'x' }, commander.token);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const list = await api.gql<{ incident: { hypotheses: { status: string }[] } }>(`query($id: ID) { incident(id: $id) { hypotheses { status } } }`, { id: incidentId }, viewer.token);
    expect(list.data!.incident.hypotheses).toEqual([{ status: 'CONFIRMED' }]);
  });
});

describe('contributing factors and failed safeguards', () => {
  it('allow at most one trigger per incident', async () => {
    const trigger = await api.gql<{ addContributingFactor: { isTrigger: boolean } }>(
      ADD_FACTOR,
      { id: incidentId, input: { category: 'RELEASE_REGRESSION', description: 'The release changed the payment client', isTrigger: true } },
      commander.token,
    );
    expect(trigger.data!.addContributingFactor.isTrigger).toBe(true);
    const other = await api.gql<{ addContributingFactor: { isTrigger: boolean } }>(ADD_FACTOR, { id: incidentId, input: { category: 'OBSERVABILITY_GAP', description: 'No alert on p99' } }, commander.token);
    expect(other.data!.addContributingFactor.isTrigger).toBe(false);

    const before = await t.count('contributing_factors');
    const second = await api.gql(ADD_FACTOR, { id: incidentId, input: { category: 'CAPACITY', description: 'x', isTrigger: true } }, commander.token);
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.isTrigger' });
    expect(await t.count('contributing_factors')).toBe(before);
  });

  it('moves the trigger in two steps: unmark one factor, then mark another', async () => {
    const { id } = await world.as(commander.token).incident({ title: 'Wrong trigger' });
    const UPDATE_FACTOR = `mutation($id: ID!, $input: UpdateContributingFactorInput!) { updateContributingFactor(id: $id, input: $input) { id category description isTrigger } }`;
    const first = await api.gql<{ addContributingFactor: { id: string } }>(ADD_FACTOR, { id, input: { category: 'CAPACITY', description: 'Pool too small', isTrigger: true } }, commander.token);
    const second = await api.gql<{ addContributingFactor: { id: string } }>(ADD_FACTOR, { id, input: { category: 'CONFIG_CHANGE', description: 'Timeout lowered' } }, commander.token);
    const firstId = first.data!.addContributingFactor.id;
    const secondId = second.data!.addContributingFactor.id;

    const refused = await api.gql(UPDATE_FACTOR, { id: secondId, input: { isTrigger: true } }, commander.token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.isTrigger' });
    const cleared = await api.gql(UPDATE_FACTOR, { id: firstId, input: { description: null } }, commander.token);
    expect(cleared.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.description' });

    const unmarked = await api.gql<{ updateContributingFactor: Record<string, unknown> }>(UPDATE_FACTOR, { id: firstId, input: { isTrigger: false } }, commander.token);
    expect(unmarked.data!.updateContributingFactor).toEqual({ id: firstId, category: 'CAPACITY', description: 'Pool too small', isTrigger: false });
    const marked = await api.gql<{ updateContributingFactor: Record<string, unknown> }>(UPDATE_FACTOR, { id: secondId, input: { isTrigger: true, description: 'Timeout lowered to 1 s' } }, commander.token);
    expect(marked.data!.updateContributingFactor).toMatchObject({ isTrigger: true, description: 'Timeout lowered to 1 s', category: 'CONFIG_CHANGE' });

    const unknown = await api.gql(UPDATE_FACTOR, { id: UNKNOWN, input: { isTrigger: false } }, commander.token);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const asViewer = await api.gql(UPDATE_FACTOR, { id: firstId, input: { isTrigger: false } }, viewer.token);
    expect(asViewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const audit = await db.query(`SELECT before->>'isTrigger' AS was, after->>'isTrigger' AS now FROM audit_log WHERE action = 'contributing-factor.update' ORDER BY id`);
    expect(audit.rows).toEqual([{ was: 'true', now: 'false' }, { was: 'false', now: 'true' }]);
  });

  it('lets only one of two concurrent triggers through', async () => {
    const { id } = await world.as(commander.token).incident({ title: 'Race' });
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => api.gql(ADD_FACTOR, { id, input: { category: 'CONFIG_CHANGE', description: `trigger ${i}`, isTrigger: true } }, commander.token)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.isTrigger' });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM contributing_factors WHERE incident_id = $1`, [id]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses unknown categories and kinds, and records safeguards', async () => {
    const badCategory = await api.gql(ADD_FACTOR, { id: incidentId, input: { category: 'BAD_LUCK', description: 'x' } }, commander.token);
    expect(badCategory.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(namesField(badCategory.errors?.[0].extensions?.field, 'input.category')).toBe(true);

    const safeguard = await api.gql<{ addFailedSafeguard: Record<string, unknown> }>(
      ADD_SAFEGUARD,
      { id: incidentId, input: { kind: 'CANARY', expectedBehavior: 'Stop the rollout at 1 %', whyItFailed: 'The canary only checked HTTP 200s' } },
      commander.token,
    );
    expect(safeguard.data!.addFailedSafeguard).toMatchObject({ kind: 'CANARY', whyItFailed: 'The canary only checked HTTP 200s' });
    const badKind = await api.gql(ADD_SAFEGUARD, { id: incidentId, input: { kind: 'PRAYER', expectedBehavior: 'x', whyItFailed: 'y' } }, commander.token);
    expect(badKind.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(namesField(badKind.errors?.[0].extensions?.field, 'input.kind')).toBe(true);
    const blank = await api.gql(ADD_SAFEGUARD, { id: incidentId, input: { kind: 'ALERTING', expectedBehavior: '', whyItFailed: 'y' } }, commander.token);
    expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expectedBehavior' });
    const asViewer = await api.gql(ADD_SAFEGUARD, { id: incidentId, input: { kind: 'ALERTING', expectedBehavior: 'x', whyItFailed: 'y' } }, viewer.token);
    expect(asViewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const res = await api.gql<{ incident: { contributingFactors: { category: string; isTrigger: boolean }[]; failedSafeguards: { kind: string }[] } }>(
      `query($id: ID) { incident(id: $id) { contributingFactors { category isTrigger } failedSafeguards { kind } } }`,
      { id: incidentId },
      viewer.token,
    );
    expect(res.data!.incident.contributingFactors).toEqual([
      { category: 'RELEASE_REGRESSION', isTrigger: true },
      { category: 'OBSERVABILITY_GAP', isTrigger: false },
    ]);
    expect(res.data!.incident.failedSafeguards).toEqual([{ kind: 'CANARY' }]);
  });
});

describe('corrections: edit and delete timeline events, factors and safeguards', () => {
  const UPDATE_EVENT = `mutation($id: ID!, $input: UpdateTimelineEventInput!) { updateTimelineEvent(id: $id, input: $input) { id occurredAt kind description evidenceUrl source author { id } } }`;
  const DELETE_EVENT = `mutation($id: ID!) { deleteTimelineEvent(id: $id) }`;
  const DELETE_FACTOR = `mutation($id: ID!) { deleteContributingFactor(id: $id) }`;
  const UPDATE_SAFEGUARD = `mutation($id: ID!, $input: UpdateFailedSafeguardInput!) { updateFailedSafeguard(id: $id, input: $input) { id kind expectedBehavior whyItFailed } }`;
  const DELETE_SAFEGUARD = `mutation($id: ID!) { deleteFailedSafeguard(id: $id) }`;
  let id: string;

  beforeAll(async () => {
    ({ id } = await world.as(commander.token).incident({ title: 'Corrected incident' }));
  });

  async function addEvent(): Promise<string> {
    const res = await api.gql<{ addTimelineEvent: { id: string } }>(
      ADD_EVENT,
      { id, input: { occurredAt: '2024-06-01T09:00:00Z', kind: 'NOTE', description: 'Paged the wrong team', evidenceUrl: 'https://pager.example.com/1' } },
      commander.token,
    );
    return res.data!.addTimelineEvent.id;
  }

  async function audit(entityId: string): Promise<{ action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[]> {
    const { rows } = await db.query(`SELECT action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id`, [entityId]);
    return rows;
  }

  it('changes only the fields sent on a timeline event, keeps its author and source, and audits before and after', async () => {
    const eventId = await addEvent();
    const res = await api.gql<{ updateTimelineEvent: Record<string, unknown> }>(
      UPDATE_EVENT,
      { id: eventId, input: { occurredAt: '2024-06-01T08:55:00Z', kind: 'ESCALATION' } },
      commander.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateTimelineEvent).toEqual({
      id: eventId,
      occurredAt: '2024-06-01T08:55:00.000Z',
      kind: 'ESCALATION',
      description: 'Paged the wrong team',
      evidenceUrl: 'https://pager.example.com/1',
      source: 'MANUAL',
      author: { id: commander.id },
    });
    const cleared = await api.gql<{ updateTimelineEvent: Record<string, unknown> }>(UPDATE_EVENT, { id: eventId, input: { evidenceUrl: null } }, commander.token);
    expect(cleared.data!.updateTimelineEvent).toMatchObject({ evidenceUrl: null, kind: 'ESCALATION' });
    const trail = await audit(eventId);
    expect(trail.map((a) => a.action)).toEqual(['timeline-event.create', 'timeline-event.update', 'timeline-event.update']);
    expect(trail[1].before).toMatchObject({ kind: 'NOTE' });
    expect(trail[1].after).toMatchObject({ kind: 'ESCALATION' });
  });

  it.each([
    ['a null description', { description: null }, 'input.description'],
    ['a blank description', { description: '  ' }, 'input.description'],
    ['a null occurredAt', { occurredAt: null }, 'input.occurredAt'],
    ['a javascript: link', { evidenceUrl: 'javascript:alert(1)' }, 'input.evidenceUrl'],
  ])('refuses to update a timeline event with %s and changes nothing', async (_name, input, field) => {
    const eventId = await addEvent();
    const res = await api.gql(UPDATE_EVENT, { id: eventId, input }, commander.token);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(namesField(res.errors?.[0].extensions?.field, field)).toBe(true);
    const { rows } = await db.query(`SELECT description, evidence_url FROM timeline_events WHERE id = $1`, [eventId]);
    expect(rows[0]).toEqual({ description: 'Paged the wrong team', evidence_url: 'https://pager.example.com/1' });
  });

  it('deletes a timeline event, keeps it in the audit log, and answers NOT_FOUND the second time', async () => {
    const eventId = await addEvent();
    const res = await api.gql<{ deleteTimelineEvent: string }>(DELETE_EVENT, { id: eventId }, commander.token);
    expect(res.data!.deleteTimelineEvent).toBe(eventId);
    expect((await db.query(`SELECT 1 FROM timeline_events WHERE id = $1`, [eventId])).rowCount).toBe(0);
    const trail = await audit(eventId);
    expect(trail.at(-1)).toMatchObject({ action: 'timeline-event.delete', before: { description: 'Paged the wrong team' }, after: null });
    expect((await api.gql(DELETE_EVENT, { id: eventId }, commander.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(DELETE_EVENT, { id: 'garbage' }, commander.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('lets a viewer neither edit nor delete', async () => {
    const eventId = await addEvent();
    expect((await api.gql(UPDATE_EVENT, { id: eventId, input: { description: 'x' } }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(DELETE_EVENT, { id: eventId }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(DELETE_FACTOR, { id: UNKNOWN }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(DELETE_SAFEGUARD, { id: UNKNOWN }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await db.query(`SELECT description FROM timeline_events WHERE id = $1`, [eventId])).rows[0].description).toBe('Paged the wrong team');
  });

  it('deletes a factor no action item addresses, and refuses while one does, naming the item', async () => {
    const add = (description: string) =>
      api.gql<{ addContributingFactor: { id: string } }>(ADD_FACTOR, { id, input: { category: 'CAPACITY', description } }, commander.token).then((r) => r.data!.addContributingFactor.id);
    const loose = await add('Pool sized for last year');
    const linked = await add('No headroom alert');
    const teams = await api.gql<{ createTeam: { id: string } }>(`mutation { createTeam(input: { name: "Corrections team" }) { id } }`, {}, admin);
    const item = await api.gql(
      `mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { id } }`,
      { id, input: { title: 'Alert on pool headroom', kind: 'DETECT', priority: 'P2', ownerTeamId: teams.data!.createTeam.id, addressesFactorId: linked } },
      commander.token,
    );
    expect(item.errors).toBeUndefined();

    const refused = await api.gql(DELETE_FACTOR, { id: linked }, commander.token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(refused.errors?.[0].message).toContain('"Alert on pool headroom"');
    expect((await db.query(`SELECT 1 FROM contributing_factors WHERE id = $1`, [linked])).rowCount).toBe(1);

    expect((await api.gql<{ deleteContributingFactor: string }>(DELETE_FACTOR, { id: loose }, commander.token)).data!.deleteContributingFactor).toBe(loose);
    expect((await db.query(`SELECT 1 FROM contributing_factors WHERE id = $1`, [loose])).rowCount).toBe(0);
    expect((await audit(loose)).at(-1)).toMatchObject({ action: 'contributing-factor.delete', before: { description: 'Pool sized for last year' } });
  });

  it('edits a safeguard field by field, refuses a cleared field, and deletes it', async () => {
    const added = await api.gql<{ addFailedSafeguard: { id: string } }>(
      ADD_SAFEGUARD,
      { id, input: { kind: 'ALERTING', expectedBehavior: 'Page on 5xx above 1 %', whyItFailed: 'Threshold was 10 %' } },
      commander.token,
    );
    const sg = added.data!.addFailedSafeguard.id;
    const res = await api.gql<{ updateFailedSafeguard: Record<string, unknown> }>(UPDATE_SAFEGUARD, { id: sg, input: { kind: 'RATE_LIMITING' } }, commander.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateFailedSafeguard).toEqual({ id: sg, kind: 'RATE_LIMITING', expectedBehavior: 'Page on 5xx above 1 %', whyItFailed: 'Threshold was 10 %' });
    const blank = await api.gql(UPDATE_SAFEGUARD, { id: sg, input: { whyItFailed: '' } }, commander.token);
    expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.whyItFailed' });
    expect((await api.gql(UPDATE_SAFEGUARD, { id: UNKNOWN, input: { kind: 'CANARY' } }, commander.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    expect((await api.gql<{ deleteFailedSafeguard: string }>(DELETE_SAFEGUARD, { id: sg }, commander.token)).data!.deleteFailedSafeguard).toBe(sg);
    expect((await audit(sg)).map((a) => a.action)).toEqual(['failed-safeguard.create', 'failed-safeguard.update', 'failed-safeguard.delete']);
  });
});
