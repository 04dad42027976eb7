import { ActionItemsModule, ActionItemsService } from '@hindsight/server-action-items';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisRepository, AnalysisService, IncidentsModule, IncidentsService, type IncidentInput } from '@hindsight/server-incidents';
import { ModuleHarness, namesField, refusal, selected, testModule, type Refusal } from '@hindsight/server-testing';

/**
 * An incident's analysis: the timeline, hypotheses, contributing factors (one trigger) and
 * failed safeguards, their corrections and audit. The incidents room (and the action items
 * room, for an item addressing a factor), no API: writes through AnalysisService as the
 * mutations call it, lists as the Incident fields read them (AnalysisRepository), refusals
 * as the services throw them. What a client meets (viewers refused, enums the schema
 * refuses, ids that are no uuid): incidents.roles.spec.ts.
 */

let room: ModuleHarness;
let commander: SessionActor;
let incidentId: string;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const analysis = (): AnalysisService => room.get(AnalysisService);
const count = async (table: string): Promise<number> => (await room.sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
const incident = async (title: string): Promise<string> =>
  (await room.get(IncidentsService).create(commander, { title, severity: 'SEV2', startedAt: new Date('2024-05-01T10:00:00Z') } as IncidentInput)).id;
/** A timeline event's input as the DateTime scalar parses it (any field may be wrong on purpose). */
const event = (input: Record<string, unknown>) => ({ ...input, occurredAt: input['occurredAt'] === null || input['occurredAt'] === undefined ? input['occurredAt'] : new Date(input['occurredAt'] as string) }) as never;
const EVENT = 'id occurredAt kind description evidenceUrl source authorId';

beforeAll(async () => {
  room = await testModule([IncidentsModule, ActionItemsModule]);
  commander = await room.actor('COMMANDER');
  incidentId = await incident('Analysed incident');
});

afterAll(() => room?.close());

describe('timeline', () => {
  it('records events with their author and source, and lists them by occurredAt', async () => {
    const later = await analysis().addTimelineEvent(commander, incidentId, event({ occurredAt: '2024-05-01T10:30:00Z', kind: 'MITIGATION', description: 'Rolled back', evidenceUrl: 'https://deploys.example.com/123' }));
    expect(selected(later, EVENT)).toMatchObject({ kind: 'MITIGATION', source: 'MANUAL', authorId: commander.id, evidenceUrl: 'https://deploys.example.com/123' });
    await analysis().addTimelineEvent(commander, incidentId, event({ occurredAt: '2024-05-01T10:02:00Z', kind: 'ALERT', description: 'Error-rate alert fired' }));

    expect(selected(await room.get(AnalysisRepository).timelinesOf([incidentId]), 'kind occurredAt')).toEqual([
      { kind: 'ALERT', occurredAt: '2024-05-01T10:02:00.000Z' },
      { kind: 'MITIGATION', occurredAt: '2024-05-01T10:30:00.000Z' },
    ]);
    const audit = await room.sql.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'TimelineEvent'`);
    expect(audit.rows[0].n).toBe(2);
  });

  it.each([
    ['a javascript: URL', { evidenceUrl: 'javascript:alert(1)' }, 'input.evidenceUrl'],
    ['a relative URL', { evidenceUrl: '/dashboards/1' }, 'input.evidenceUrl'],
    ['an unknown kind', { kind: 'GUESS' }, 'input.kind'],
    ['a blank description', { description: ' ' }, 'input.description'],
    ['a description over 100 kB', { description: 'é'.repeat(51_201) }, 'input.description'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, change, field) => {
    const before = await count('timeline_events');
    const { extensions } = await refusal(analysis().addTimelineEvent(commander, incidentId, event({ occurredAt: '2024-05-01T10:00:00Z', kind: 'NOTE', description: 'n', ...change })));
    expect(extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(namesField(extensions.field, field)).toBe(true);
    expect(await count('timeline_events')).toBe(before);
  });

  it('answers NOT_FOUND for an unknown incident', async () => {
    const input = event({ occurredAt: '2024-05-01T10:00:00Z', kind: 'NOTE', description: 'n' });
    expect((await refusal(analysis().addTimelineEvent(commander, UNKNOWN, input))).extensions.code).toBe('NOT_FOUND');
    expect((await refusal(analysis().addTimelineEvent(commander, 'garbage', input))).extensions.code).toBe('NOT_FOUND');
  });
});

describe('hypotheses', () => {
  it('go from OPEN to CONFIRMED with evidence, once', async () => {
    const added = await analysis().addHypothesis(commander, incidentId, 'The deploy at 10:00 broke checkout');
    expect(added).toMatchObject({ status: 'OPEN' });
    const id = added.id;

    expect((await refusal(analysis().decideHypothesis(commander, id, 'CONFIRMED', '  '))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence' });
    expect((await refusal(analysis().decideHypothesis(commander, id, 'OPEN', 'x'))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });

    const decided = await analysis().decideHypothesis(commander, id, 'CONFIRMED', 'Rollback fixed it; canary logs show the null pointer');
    expect(selected(decided, 'status decidedById decidedAt')).toMatchObject({ status: 'CONFIRMED', decidedById: commander.id, decidedAt: expect.any(String) });

    expect((await refusal(analysis().decideHypothesis(commander, id, 'REJECTED', 'changed my mind'))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const { rows } = await room.sql.query(`SELECT status FROM hypotheses WHERE id = $1`, [id]);
    expect(rows[0].status).toBe('CONFIRMED');

    expect((await refusal(analysis().decideHypothesis(commander, UNKNOWN, 'REJECTED', 'x'))).extensions.code).toBe('NOT_FOUND');
    expect(selected(await room.get(AnalysisRepository).hypothesesOf([incidentId]), 'status')).toEqual([{ status: 'CONFIRMED' }]);
  });
});

describe('contributing factors and failed safeguards', () => {
  const FACTOR = 'id category description isTrigger';

  it('allow at most one trigger per incident', async () => {
    const trigger = await analysis().addContributingFactor(commander, incidentId, { category: 'RELEASE_REGRESSION', description: 'The release changed the payment client', isTrigger: true });
    expect(trigger.isTrigger).toBe(true);
    const other = await analysis().addContributingFactor(commander, incidentId, { category: 'OBSERVABILITY_GAP', description: 'No alert on p99' });
    expect(other.isTrigger).toBe(false);

    const before = await count('contributing_factors');
    const second = await refusal(analysis().addContributingFactor(commander, incidentId, { category: 'CAPACITY', description: 'x', isTrigger: true }));
    expect(second.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.isTrigger' });
    expect(await count('contributing_factors')).toBe(before);
  });

  it('moves the trigger in two steps: unmark one factor, then mark another', async () => {
    const id = await incident('Wrong trigger');
    const firstId = (await analysis().addContributingFactor(commander, id, { category: 'CAPACITY', description: 'Pool too small', isTrigger: true })).id;
    const secondId = (await analysis().addContributingFactor(commander, id, { category: 'CONFIG_CHANGE', description: 'Timeout lowered' })).id;

    expect((await refusal(analysis().updateContributingFactor(commander, secondId, { isTrigger: true }))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.isTrigger' });
    expect((await refusal(analysis().updateContributingFactor(commander, firstId, { description: null } as never))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.description' });

    const unmarked = await analysis().updateContributingFactor(commander, firstId, { isTrigger: false });
    expect(selected(unmarked, FACTOR)).toEqual({ id: firstId, category: 'CAPACITY', description: 'Pool too small', isTrigger: false });
    const marked = await analysis().updateContributingFactor(commander, secondId, { isTrigger: true, description: 'Timeout lowered to 1 s' });
    expect(marked).toMatchObject({ isTrigger: true, description: 'Timeout lowered to 1 s', category: 'CONFIG_CHANGE' });

    expect((await refusal(analysis().updateContributingFactor(commander, UNKNOWN, { isTrigger: false }))).extensions.code).toBe('NOT_FOUND');
    const audit = await room.sql.query(`SELECT before->>'isTrigger' AS was, after->>'isTrigger' AS now FROM audit_log WHERE action = 'contributing-factor.update' ORDER BY id`);
    expect(audit.rows).toEqual([{ was: 'true', now: 'false' }, { was: 'false', now: 'true' }]);
  });

  it('lets only one of two concurrent triggers through', async () => {
    const id = await incident('Race');
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) => analysis().addContributingFactor(commander, id, { category: 'CONFIG_CHANGE', description: `trigger ${i}`, isTrigger: true })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as Refusal).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.isTrigger' });
    const { rows } = await room.sql.query(`SELECT count(*)::int AS n FROM contributing_factors WHERE incident_id = $1`, [id]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses unknown categories and kinds, and records safeguards', async () => {
    const badCategory = await refusal(analysis().addContributingFactor(commander, incidentId, { category: 'BAD_LUCK', description: 'x' } as never));
    expect(badCategory.extensions.code).toBe('BAD_USER_INPUT');
    expect(namesField(badCategory.extensions.field, 'input.category')).toBe(true);

    const safeguard = await analysis().addFailedSafeguard(commander, incidentId, { kind: 'CANARY', expectedBehavior: 'Stop the rollout at 1 %', whyItFailed: 'The canary only checked HTTP 200s' });
    expect(safeguard).toMatchObject({ kind: 'CANARY', whyItFailed: 'The canary only checked HTTP 200s' });
    const badKind = await refusal(analysis().addFailedSafeguard(commander, incidentId, { kind: 'PRAYER', expectedBehavior: 'x', whyItFailed: 'y' } as never));
    expect(badKind.extensions.code).toBe('BAD_USER_INPUT');
    expect(namesField(badKind.extensions.field, 'input.kind')).toBe(true);
    const blank = await refusal(analysis().addFailedSafeguard(commander, incidentId, { kind: 'ALERTING', expectedBehavior: '', whyItFailed: 'y' }));
    expect(blank.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expectedBehavior' });

    expect(selected(await room.get(AnalysisRepository).factorsOf([incidentId]), 'category isTrigger')).toEqual([
      { category: 'RELEASE_REGRESSION', isTrigger: true },
      { category: 'OBSERVABILITY_GAP', isTrigger: false },
    ]);
    expect(selected(await room.get(AnalysisRepository).safeguardsOf([incidentId]), 'kind')).toEqual([{ kind: 'CANARY' }]);
  });
});

describe('corrections: edit and delete timeline events, factors and safeguards', () => {
  let id: string;

  beforeAll(async () => {
    id = await incident('Corrected incident');
  });

  const addEvent = async (): Promise<string> =>
    (await analysis().addTimelineEvent(commander, id, event({ occurredAt: '2024-06-01T09:00:00Z', kind: 'NOTE', description: 'Paged the wrong team', evidenceUrl: 'https://pager.example.com/1' }))).id;

  async function audit(entityId: string): Promise<{ action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[]> {
    const { rows } = await room.sql.query(`SELECT action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id`, [entityId]);
    return rows;
  }

  it('changes only the fields sent on a timeline event, keeps its author and source, and audits before and after', async () => {
    const eventId = await addEvent();
    const updated = await analysis().updateTimelineEvent(commander, eventId, event({ occurredAt: '2024-06-01T08:55:00Z', kind: 'ESCALATION' }));
    expect(selected(updated, EVENT)).toEqual({
      id: eventId,
      occurredAt: '2024-06-01T08:55:00.000Z',
      kind: 'ESCALATION',
      description: 'Paged the wrong team',
      evidenceUrl: 'https://pager.example.com/1',
      source: 'MANUAL',
      authorId: commander.id,
    });
    const cleared = await analysis().updateTimelineEvent(commander, eventId, { evidenceUrl: null });
    expect(cleared).toMatchObject({ evidenceUrl: null, kind: 'ESCALATION' });
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
    const { extensions } = await refusal(analysis().updateTimelineEvent(commander, eventId, event(input)));
    expect(extensions.code).toBe('BAD_USER_INPUT');
    expect(namesField(extensions.field, field)).toBe(true);
    const { rows } = await room.sql.query(`SELECT description, evidence_url FROM timeline_events WHERE id = $1`, [eventId]);
    expect(rows[0]).toEqual({ description: 'Paged the wrong team', evidence_url: 'https://pager.example.com/1' });
  });

  it('deletes a timeline event, keeps it in the audit log, and answers NOT_FOUND the second time', async () => {
    const eventId = await addEvent();
    expect(await analysis().deleteTimelineEvent(commander, eventId)).toBe(eventId);
    expect((await room.sql.query(`SELECT 1 FROM timeline_events WHERE id = $1`, [eventId])).rowCount).toBe(0);
    const trail = await audit(eventId);
    expect(trail.at(-1)).toMatchObject({ action: 'timeline-event.delete', before: { description: 'Paged the wrong team' }, after: null });
    expect((await refusal(analysis().deleteTimelineEvent(commander, eventId))).extensions.code).toBe('NOT_FOUND');
    expect((await refusal(analysis().deleteTimelineEvent(commander, 'garbage'))).extensions.code).toBe('NOT_FOUND');
  });

  it('deletes a factor no action item addresses, and refuses while one does, naming the item', async () => {
    const add = async (description: string) => (await analysis().addContributingFactor(commander, id, { category: 'CAPACITY', description })).id;
    const loose = await add('Pool sized for last year');
    const linked = await add('No headroom alert');
    const ownerTeamId = await room.rows.team({ name: 'Corrections team' });
    await room.get(ActionItemsService).create(commander, id, { title: 'Alert on pool headroom', kind: 'DETECT', priority: 'P2', ownerTeamId, addressesFactorId: linked });

    const refused = await refusal(analysis().deleteContributingFactor(commander, linked));
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(refused.message).toContain('"Alert on pool headroom"');
    expect((await room.sql.query(`SELECT 1 FROM contributing_factors WHERE id = $1`, [linked])).rowCount).toBe(1);

    expect(await analysis().deleteContributingFactor(commander, loose)).toBe(loose);
    expect((await room.sql.query(`SELECT 1 FROM contributing_factors WHERE id = $1`, [loose])).rowCount).toBe(0);
    expect((await audit(loose)).at(-1)).toMatchObject({ action: 'contributing-factor.delete', before: { description: 'Pool sized for last year' } });
  });

  it('edits a safeguard field by field, refuses a cleared field, and deletes it', async () => {
    const sg = (await analysis().addFailedSafeguard(commander, id, { kind: 'ALERTING', expectedBehavior: 'Page on 5xx above 1 %', whyItFailed: 'Threshold was 10 %' })).id;
    const updated = await analysis().updateFailedSafeguard(commander, sg, { kind: 'RATE_LIMITING' });
    expect(selected(updated, 'id kind expectedBehavior whyItFailed')).toEqual({ id: sg, kind: 'RATE_LIMITING', expectedBehavior: 'Page on 5xx above 1 %', whyItFailed: 'Threshold was 10 %' });
    expect((await refusal(analysis().updateFailedSafeguard(commander, sg, { whyItFailed: '' }))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.whyItFailed' });
    expect((await refusal(analysis().updateFailedSafeguard(commander, UNKNOWN, { kind: 'CANARY' }))).extensions.code).toBe('NOT_FOUND');

    expect(await analysis().deleteFailedSafeguard(commander, sg)).toBe(sg);
    expect((await audit(sg)).map((a) => a.action)).toEqual(['failed-safeguard.create', 'failed-safeguard.update', 'failed-safeguard.delete']);
  });
});
