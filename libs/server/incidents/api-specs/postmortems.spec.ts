import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { Client } from 'pg';
import { Scenario, type SignedIn } from '@hindsight/server-testing';

let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let db: Client;
let admin: string;
let commander: SignedIn;
let reviewer: SignedIn;
let secondReviewer: SignedIn;
let outsider: SignedIn;
let serviceId: string;

const PM_FIELDS = `id status summary impact triggeringCause whatWentWell whatWentPoorly whereWeGotLucky lessons noActionReason dueAt version publishedAt
  reviews { reviewer { id } verdict comment decidedAt } incident { id }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: PostmortemInput!) { updatePostmortem(incidentId: $id, expectedVersion: $v, input: $input) { ${PM_FIELDS} } }`;
const REQUEST = `mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { ${PM_FIELDS} } }`;
const REVIEW = `mutation($id: ID!, $v: ReviewVerdict!, $c: String) { reviewPostmortem(incidentId: $id, verdict: $v, comment: $c) { ${PM_FIELDS} } }`;
const PUBLISH = `mutation($id: ID!) { publishPostmortem(incidentId: $id) { ${PM_FIELDS} } }`;

interface Postmortem { id: string; status: string; version: number; noActionReason: string | null; publishedAt: string | null; reviews: { reviewer: { id: string }; verdict: string }[] }

beforeAll(async () => {
  ({ api, db, admin, world } = t = await startApiWorld());
  ({ commander, reviewer, secondReviewer, outsider } = await world.signedInPeople({ commander: 'COMMANDER', reviewer: 'VIEWER', secondReviewer: 'MANAGER', outsider: 'COMMANDER' }, 'test.local'));
  serviceId = await world.service({ name: 'checkout-api', teamId: await world.team({ name: 'Payments' }) });
});

afterAll(() => t?.close());

describe('updatePostmortem', () => {
  it('bumps the version, keeps a revision per update, and refuses a stale version with CONFLICT and the current version', async () => {
    const { id } = await world.as(commander.token).incident({ title: 'Concurrent edits' });
    const first = await api.gql<{ updatePostmortem: Postmortem }>(UPDATE, { id, v: 1, input: { summary: 'Checkout failed', impact: '2 % of payments' } }, commander.token);
    expect(first.errors).toBeUndefined();
    expect(first.data!.updatePostmortem).toMatchObject({ version: 2, summary: 'Checkout failed', impact: '2 % of payments', status: 'DRAFT' });

    const second = await api.gql<{ updatePostmortem: Postmortem }>(UPDATE, { id, v: 2, input: { impact: null, lessons: 'Canary on errors' } }, commander.token);
    expect(second.data!.updatePostmortem).toMatchObject({ version: 3, summary: 'Checkout failed', impact: null, lessons: 'Canary on errors' });

    const stale = await api.gql(UPDATE, { id, v: 2, input: { summary: 'Overwrite attempt' } }, commander.token);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 3 });

    const { rows } = await db.query(
      `SELECT r.version, r.content->>'summary' AS summary, r.content->>'impact' AS impact FROM postmortem_revisions r
         JOIN postmortems p ON p.id = r.postmortem_id WHERE p.incident_id = $1 ORDER BY r.version`,
      [id],
    );
    expect(rows).toEqual([
      { version: 2, summary: 'Checkout failed', impact: '2 % of payments' },
      { version: 3, summary: 'Checkout failed', impact: null },
    ]);
    const stored = await db.query(`SELECT summary, version FROM postmortems WHERE incident_id = $1`, [id]);
    expect(stored.rows[0]).toEqual({ summary: 'Checkout failed', version: 3 });
    const audit = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'postmortem.update' AND entity_id = (SELECT id::text FROM postmortems WHERE incident_id = $1)`, [id]);
    expect(audit.rows[0].n).toBe(2);

    const revisions = await api.gql<{ incident: { postmortem: { revisions: { version: number; author: { id: string } }[] } } }>(
      `query($id: ID) { incident(id: $id) { postmortem { revisions { version author { id } } } } }`,
      { id },
      reviewer.token,
    );
    expect(revisions.data!.incident.postmortem.revisions).toEqual([
      { version: 2, author: { id: commander.id } },
      { version: 3, author: { id: commander.id } },
    ]);
  });

  it('lets exactly one of two concurrent edits from the same version win', async () => {
    const { id } = await world.as(commander.token).incident({ title: 'Race' });
    const results = await Promise.all(['A', 'B'].map((s) => api.gql(UPDATE, { id, v: 1, input: { summary: s } }, commander.token)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.find((r) => r.errors)?.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it('refuses sections over 100 kB, unknown incidents and viewers', async () => {
    const { id } = await world.as(commander.token).incident({ title: 'Limits' });
    const big = await api.gql(UPDATE, { id, v: 1, input: { whatWentPoorly: 'x'.repeat(102_401) } }, commander.token);
    expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.whatWentPoorly' });
    const unknown = await api.gql(UPDATE, { id: '00000000-0000-4000-8000-000000000000', v: 1, input: { summary: 'x' } }, commander.token);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const asViewer = await api.gql(UPDATE, { id, v: 1, input: { summary: 'x' } }, reviewer.token);
    expect(asViewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { rows } = await db.query(`SELECT version FROM postmortems WHERE incident_id = $1`, [id]);
    expect(rows[0].version).toBe(1);
  });
});

describe('review and publish', () => {
  let id: string;
  let reference: string;

  beforeAll(async () => {
    ({ id, reference } = await world.as(commander.token).incident({
      title: 'Payments outage',
      severity: 'SEV1',
      serviceIds: [serviceId],
      commanderId: commander.id,
      resolvedAt: '2024-05-01T12:00:00Z',
    }));
  });

  it('lists every publish blocker while the postmortem is incomplete', async () => {
    const res = await api.gql(PUBLISH, { id }, commander.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'incidentId' });
    const blockers = res.errors?.[0].extensions?.['blockers'] as string[];
    expect(blockers.join(' ')).toMatch(/summary/);
    expect(blockers.join(' ')).toMatch(/impact/);
    expect(blockers.join(' ')).toMatch(/triggering cause/);
    expect(blockers.join(' ')).toMatch(/contributing factor/);
    expect(blockers.join(' ')).toMatch(/action item/);
    expect(blockers.join(' ')).toMatch(/review/i);
    const { rows } = await db.query(`SELECT status FROM postmortems WHERE incident_id = $1`, [id]);
    expect(rows[0].status).toBe('DRAFT');
  });

  it('requests reviews from active users only, moving DRAFT to IN_REVIEW', async () => {
    const unknown = await api.gql(REQUEST, { id, r: ['00000000-0000-4000-8000-000000000000'] }, commander.token);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviewerIds' });
    const none = await api.gql(REQUEST, { id, r: [] }, commander.token);
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviewerIds' });

    const inactive = await world.signedIn({ email: 'gone@test.local', role: 'VIEWER' });
    await api.gql(`mutation($id: ID!) { setUserActive(userId: $id, active: false) { id } }`, { id: inactive.id }, admin);
    const deactivated = await api.gql(REQUEST, { id, r: [reviewer.id, inactive.id] }, commander.token);
    expect(deactivated.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviewerIds' });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM postmortem_reviews`);
    expect(rows[0].n).toBe(0);

    const res = await api.gql<{ requestPostmortemReview: Postmortem }>(REQUEST, { id, r: [reviewer.id, secondReviewer.id, reviewer.id] }, commander.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.requestPostmortemReview.status).toBe('IN_REVIEW');
    expect(res.data!.requestPostmortemReview.reviews.map((r) => [r.reviewer.id, r.verdict]).sort()).toEqual(
      [[reviewer.id, 'PENDING'], [secondReviewer.id, 'PENDING']].sort(),
    );
  });

  it('takes verdicts only from the named reviewers, whatever their role', async () => {
    const stranger = await api.gql(REVIEW, { id, v: 'APPROVED' }, outsider.token);
    expect(stranger.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const pending = await api.gql(REVIEW, { id, v: 'PENDING' }, reviewer.token);
    expect(pending.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'verdict' });

    const changes = await api.gql<{ reviewPostmortem: Postmortem }>(REVIEW, { id, v: 'CHANGES_REQUESTED', c: 'Name the trigger' }, secondReviewer.token);
    expect(changes.errors).toBeUndefined();
    const approved = await api.gql<{ reviewPostmortem: Postmortem }>(REVIEW, { id, v: 'APPROVED' }, reviewer.token);
    expect(approved.data!.reviewPostmortem.reviews.find((r) => r.reviewer.id === reviewer.id)?.verdict).toBe('APPROVED');
  });

  it('publishes once content, analysis, action or a no-action reason, and every approval are there', async () => {
    const pm = await api.gql<{ updatePostmortem: Postmortem }>(
      UPDATE,
      { id, v: 1, input: { summary: 'Checkout failed for 20 minutes', impact: 'About 2 % of payments failed', noActionReason: 'The vendor fixed it; nothing on our side' } },
      commander.token,
    );
    expect(pm.data!.updatePostmortem).toMatchObject({ noActionReason: 'The vendor fixed it; nothing on our side', version: 2 });
    await api.gql(
      `mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: DEPENDENCY_OUTAGE, description: "Payment vendor outage", isTrigger: true }) { id } }`,
      { id },
      commander.token,
    );

    const waiting = await api.gql(PUBLISH, { id }, commander.token);
    const blockers = waiting.errors?.[0].extensions?.['blockers'] as string[];
    expect(blockers).toHaveLength(1);
    expect(blockers[0]).toMatch(/requested changes/);

    await api.gql(REVIEW, { id, v: 'APPROVED', c: 'Looks right now' }, secondReviewer.token);
    const published = await api.gql<{ publishPostmortem: Postmortem }>(PUBLISH, { id }, commander.token);
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishPostmortem).toMatchObject({ status: 'PUBLISHED', publishedAt: expect.any(String) });

    const again = await api.gql(PUBLISH, { id }, commander.token);
    expect(again.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const actions = await db.query(`SELECT action FROM audit_log WHERE entity_type = 'Postmortem' AND action LIKE 'postmortem.%' AND entity_id = $1 ORDER BY id`, [
      (await db.query(`SELECT id::text FROM postmortems WHERE incident_id = $1`, [id])).rows[0].id,
    ]);
    expect(actions.rows.map((r: { action: string }) => r.action)).toEqual([
      'postmortem.create', 'postmortem.request-review', 'postmortem.review', 'postmortem.review', 'postmortem.update', 'postmortem.review', 'postmortem.publish',
    ]);
  });

  it('exports the postmortem as Markdown for signed-in users', async () => {
    const res = await fetch(`${api.url}/incidents/${reference}/postmortem.md`, { headers: { authorization: `Bearer ${reviewer.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await res.text();
    expect(text).toContain(`# ${reference}: Payments outage`);
    expect(text).toContain('## Summary\n\nCheckout failed for 20 minutes');
    expect(text).toContain('Recorded as the trigger: **Dependency outage**: Payment vendor outage');
    expect(text).toContain('No action needed: The vendor fixed it; nothing on our side');
    expect(text).toContain('checkout-api');
    expect(text).toContain('Published');

    const anonymous = await fetch(`${api.url}/incidents/${reference}/postmortem.md`);
    expect(anonymous.status).toBe(401);
    const badToken = await fetch(`${api.url}/incidents/${reference}/postmortem.md`, { headers: { authorization: 'Bearer nonsense' } });
    expect(badToken.status).toBe(401);
    const unknown = await fetch(`${api.url}/incidents/INC-999999/postmortem.md`, { headers: { authorization: `Bearer ${reviewer.token}` } });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${api.url}/incidents/checkout/postmortem.md`, { headers: { authorization: `Bearer ${reviewer.token}` } });
    expect(malformed.status).toBe(404);
  });
});
