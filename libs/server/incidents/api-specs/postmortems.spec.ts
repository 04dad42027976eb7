import { ActionItemsModule } from '@hindsight/server-action-items';
import { CatalogService } from '@hindsight/server-catalog';
import type { SessionActor } from '@hindsight/server-graphql';
import { UsersService } from '@hindsight/server-identity';
import { AnalysisService, IncidentsModule, IncidentsService, PostmortemsRepository, PostmortemsService, type IncidentInput, type PostmortemInput } from '@hindsight/server-incidents';
import { ModuleHarness, refusal, selected, testModule } from '@hindsight/server-testing';

/*
 * A postmortem's versions, revisions and races, its review and its publish blockers. The
 * incidents room (and the action items room, which deactivating a person needs), no API:
 * writes through PostmortemsService as the mutations call it, reviews and revisions read as
 * the Postmortem fields read them (PostmortemsRepository), refusals as the service throws
 * them. What a client meets (viewers refused by role, the fields as selected, the Markdown
 * export over HTTP): incidents.roles.spec.ts.
 */

let room: ModuleHarness;
let admin: SessionActor;
let commander: SessionActor;
let reviewer: SessionActor;
let secondReviewer: SessionActor;
let outsider: SessionActor;
let serviceId: string;

const PM = 'id status summary impact lessons noActionReason version publishedAt';
interface Postmortem { id: string; status: string; summary: string | null; impact: string | null; lessons: string | null; noActionReason: string | null; version: number; publishedAt: string | null }

const postmortems = (): PostmortemsService => room.get(PostmortemsService);
const update = async (id: string, version: number, input: PostmortemInput, actor = commander): Promise<Postmortem> =>
  selected<Postmortem>(await postmortems().update(actor, id, version, input), PM);
const incident = async (input: Record<string, unknown>): Promise<string> =>
  (await room.get(IncidentsService).create(commander, { severity: 'SEV2', startedAt: new Date('2024-05-01T10:00:00Z'), ...input } as IncidentInput)).id;
const postmortemOf = async (incidentId: string): Promise<string> => (await room.sql.query(`SELECT id::text FROM postmortems WHERE incident_id = $1`, [incidentId])).rows[0].id;
const reviews = async (incidentId: string): Promise<[string, string][]> =>
  (await room.get(PostmortemsRepository).reviewsOf([await postmortemOf(incidentId)])).map((r) => [r.reviewerId, r.verdict]);

beforeAll(async () => {
  room = await testModule([IncidentsModule, ActionItemsModule]);
  admin = await room.actor('ADMIN');
  commander = await room.actor('COMMANDER');
  reviewer = await room.actor('VIEWER');
  secondReviewer = await room.actor('MANAGER');
  outsider = await room.actor('COMMANDER');
  const teamId = await room.rows.team({ name: 'Payments' });
  serviceId = (await room.get(CatalogService).createService(admin, { name: 'checkout-api', kind: 'API', tier: 1, teamId, revenuePerMinute: null })).id;
});

afterAll(() => room?.close());

describe('updatePostmortem', () => {
  it('bumps the version, keeps a revision per update, and refuses a stale version with CONFLICT and the current version', async () => {
    const id = await incident({ title: 'Concurrent edits' });
    expect(await update(id, 1, { summary: 'Checkout failed', impact: '2 % of payments' })).toMatchObject({ version: 2, summary: 'Checkout failed', impact: '2 % of payments', status: 'DRAFT' });
    expect(await update(id, 2, { impact: null, lessons: 'Canary on errors' })).toMatchObject({ version: 3, summary: 'Checkout failed', impact: null, lessons: 'Canary on errors' });
    expect((await refusal(update(id, 2, { summary: 'Overwrite attempt' }))).extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 3 });

    const { rows } = await room.sql.query(
      `SELECT r.version, r.content->>'summary' AS summary, r.content->>'impact' AS impact FROM postmortem_revisions r
         JOIN postmortems p ON p.id = r.postmortem_id WHERE p.incident_id = $1 ORDER BY r.version`,
      [id],
    );
    expect(rows).toEqual([
      { version: 2, summary: 'Checkout failed', impact: '2 % of payments' },
      { version: 3, summary: 'Checkout failed', impact: null },
    ]);
    const stored = await room.sql.query(`SELECT summary, version FROM postmortems WHERE incident_id = $1`, [id]);
    expect(stored.rows[0]).toEqual({ summary: 'Checkout failed', version: 3 });
    const audit = await room.sql.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'postmortem.update' AND entity_id = $1`, [await postmortemOf(id)]);
    expect(audit.rows[0].n).toBe(2);

    const revisions = await room.get(PostmortemsRepository).revisionsOf([await postmortemOf(id)]);
    expect(revisions.map((r) => ({ version: r.version, authorId: r.authorId }))).toEqual([
      { version: 2, authorId: commander.id },
      { version: 3, authorId: commander.id },
    ]);
  });

  it('lets exactly one of two concurrent edits from the same version win', async () => {
    const id = await incident({ title: 'Race' });
    const results = await Promise.allSettled(['A', 'B'].map((s) => update(id, 1, { summary: s })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(await refusal(Promise.reject(lost?.reason))).toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: 2 } });
  });

  it('refuses sections over 100 kB and unknown incidents', async () => {
    const id = await incident({ title: 'Limits' });
    expect((await refusal(update(id, 1, { whatWentPoorly: 'x'.repeat(102_401) }))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.whatWentPoorly' });
    expect((await refusal(update('00000000-0000-4000-8000-000000000000', 1, { summary: 'x' }))).extensions.code).toBe('NOT_FOUND');
    const { rows } = await room.sql.query(`SELECT version FROM postmortems WHERE incident_id = $1`, [id]);
    expect(rows[0].version).toBe(1);
  });
});

describe('review and publish', () => {
  let id: string;

  beforeAll(async () => {
    id = await incident({ title: 'Payments outage', severity: 'SEV1', serviceIds: [serviceId], commanderId: commander.id, resolvedAt: new Date('2024-05-01T12:00:00Z') });
  });

  it('lists every publish blocker while the postmortem is incomplete', async () => {
    const { extensions } = await refusal(postmortems().publish(commander, id));
    expect(extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'incidentId' });
    const blockers = (extensions['blockers'] as string[]).join(' ');
    for (const missing of [/summary/, /impact/, /triggering cause/, /contributing factor/, /action item/, /review/i]) expect(blockers).toMatch(missing);
    const { rows } = await room.sql.query(`SELECT status FROM postmortems WHERE incident_id = $1`, [id]);
    expect(rows[0].status).toBe('DRAFT');
  });

  it('requests reviews from active users only, moving DRAFT to IN_REVIEW', async () => {
    const request = (ids: string[]) => postmortems().requestReview(commander, id, ids);
    expect((await refusal(request(['00000000-0000-4000-8000-000000000000']))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviewerIds' });
    expect((await refusal(request([]))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviewerIds' });

    const inactive = await room.actor('VIEWER');
    await room.get(UsersService).setActive(admin, inactive.id, false);
    expect((await refusal(request([reviewer.id, inactive.id]))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviewerIds' });
    const { rows } = await room.sql.query(`SELECT count(*)::int AS n FROM postmortem_reviews`);
    expect(rows[0].n).toBe(0);

    expect((await request([reviewer.id, secondReviewer.id, reviewer.id])).status).toBe('IN_REVIEW');
    expect((await reviews(id)).sort()).toEqual([[reviewer.id, 'PENDING'], [secondReviewer.id, 'PENDING']].sort());
  });

  it('takes verdicts only from the named reviewers, whatever their role', async () => {
    expect((await refusal(postmortems().review(outsider, id, 'APPROVED', null))).extensions.code).toBe('FORBIDDEN');
    expect((await refusal(postmortems().review(reviewer, id, 'PENDING', null))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'verdict' });

    await postmortems().review(secondReviewer, id, 'CHANGES_REQUESTED', 'Name the trigger');
    await postmortems().review(reviewer, id, 'APPROVED', null);
    expect((await reviews(id)).find(([who]) => who === reviewer.id)?.[1]).toBe('APPROVED');
  });

  it('publishes once content, analysis, action or a no-action reason, and every approval are there', async () => {
    const pm = await update(id, 1, { summary: 'Checkout failed for 20 minutes', impact: 'About 2 % of payments failed', noActionReason: 'The vendor fixed it; nothing on our side' });
    expect(pm).toMatchObject({ noActionReason: 'The vendor fixed it; nothing on our side', version: 2 });
    await room.get(AnalysisService).addContributingFactor(commander, id, { category: 'DEPENDENCY_OUTAGE', description: 'Payment vendor outage', isTrigger: true });

    const blockers = (await refusal(postmortems().publish(commander, id))).extensions['blockers'] as string[];
    expect(blockers).toHaveLength(1);
    expect(blockers[0]).toMatch(/requested changes/);

    await postmortems().review(secondReviewer, id, 'APPROVED', 'Looks right now');
    expect(selected(await postmortems().publish(commander, id), PM)).toMatchObject({ status: 'PUBLISHED', publishedAt: expect.any(String) });

    expect((await refusal(postmortems().publish(commander, id))).extensions.code).toBe('BAD_USER_INPUT');
    const actions = await room.sql.query(`SELECT action FROM audit_log WHERE entity_type = 'Postmortem' AND action LIKE 'postmortem.%' AND entity_id = $1 ORDER BY id`, [await postmortemOf(id)]);
    expect(actions.rows.map((r: { action: string }) => r.action)).toEqual([
      'postmortem.create', 'postmortem.request-review', 'postmortem.review', 'postmortem.review', 'postmortem.update', 'postmortem.review', 'postmortem.publish',
    ]);
  });
});
