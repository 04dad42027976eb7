import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { POSTMORTEM_DOCUMENT_SECTIONS } from '@hindsight/domain';
import { Client } from 'pg';
import { Scenario, type SignedIn } from '@hindsight/server-testing';

/*
 * Review comments on a postmortem's sections (issue 23): who comments and resolves, what is
 * refused and why, the audit trail, and Postmortem.comments for every reader.
 */

let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let db: Client;
let admin: string;
let commander: SignedIn;
let reviewer: SignedIn;
let viewer: SignedIn;
let manager: SignedIn;
let otherCommander: SignedIn;
let incidentId: string;

const ADD = `mutation($id: ID!, $section: String!, $body: String!) {
  addPostmortemComment(incidentId: $id, section: $section, body: $body) { id section body createdAt resolvedAt author { id } resolvedBy { id } } }`;
const RESOLVE = `mutation($id: ID!) { resolvePostmortemComment(id: $id) { id resolvedAt resolvedBy { id } } }`;
const COMMENTS = `query($id: ID) { incident(id: $id) { postmortem { comments { id section body author { id name } resolvedAt resolvedBy { id } } } } }`;

interface Comment { id: string; section: string; body: string; resolvedAt: string | null; author: { id: string }; resolvedBy: { id: string } | null }

const audits = async (action: string) =>
  (await db.query(`SELECT actor_id AS "actorId", entity_type AS "entityType", entity_id AS "entityId", before, after FROM audit_log WHERE action = $1 ORDER BY at, id`, [action])).rows;

async function add(token: string, section: string, body: string, id = incidentId) {
  return api.gql<{ addPostmortemComment: Comment }>(ADD, { id, section, body }, token);
}

beforeAll(async () => {
  ({ api, db, admin, world } = t = await startApiWorld());
  ({ commander, reviewer, viewer, manager, otherCommander } = await world.signedInPeople(
    { commander: 'COMMANDER', reviewer: { role: 'VIEWER', name: 'rita' }, viewer: 'VIEWER', manager: 'MANAGER', otherCommander: 'COMMANDER' },
    'comments.test',
  ));
  ({ id: incidentId } = await world.as(commander.token).incident({ title: 'Checkout declines', commanderId: commander.id }));
  const review = await api.gql(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { id } }`, { id: incidentId, r: [reviewer.id] }, commander.token);
  expect(review.errors).toBeUndefined();
});

afterAll(() => t?.close());

describe('addPostmortemComment', () => {
  it('a named reviewer (a VIEWER) comments on a section; everyone reads it; audited on the postmortem', async () => {
    const res = await add(reviewer.token, 'timeline', 'Add **when** the page fired.');
    expect(res.errors).toBeUndefined();
    const comment = res.data!.addPostmortemComment;
    expect(comment).toMatchObject({ section: 'timeline', body: 'Add **when** the page fired.', resolvedAt: null, author: { id: reviewer.id }, resolvedBy: null });

    const read = await api.gql<{ incident: { postmortem: { comments: Comment[] } } }>(COMMENTS, { id: incidentId }, viewer.token);
    expect(read.data!.incident.postmortem.comments).toContainEqual(expect.objectContaining({ id: comment.id, section: 'timeline', author: { id: reviewer.id, name: 'rita' } }));

    const [entry] = (await audits('postmortem.comment')).filter((a) => a.after.id === comment.id);
    const postmortemId = (await db.query(`SELECT id FROM postmortems WHERE incident_id = $1`, [incidentId])).rows[0].id;
    expect(entry).toMatchObject({ actorId: reviewer.id, entityType: 'Postmortem', entityId: postmortemId, before: null, after: { section: 'timeline', body: 'Add **when** the page fired.' } });
  });

  it('the commander, other COMMANDERs, MANAGERs and ADMINs comment; a VIEWER who is neither reviewer nor commander may not', async () => {
    for (const token of [commander.token, otherCommander.token, manager.token, admin]) expect((await add(token, 'summary', 'Clear.')).errors).toBeUndefined();
    const before = await t.count('postmortem_comments');
    const refused = await add(viewer.token, 'summary', 'Me too.');
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0].message).toContain("postmortem's reviewers");
    expect(await t.count('postmortem_comments')).toBe(before);
    expect((await api.gql(ADD, { id: incidentId, section: 'summary', body: 'x' }, null)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a VIEWER commanding the incident may comment on its postmortem', async () => {
    const { id } = await world.incident({ title: 'Viewer-commanded', commanderId: viewer.id });
    expect((await add(viewer.token, 'lessons', 'Write down the runbook gap.', id)).errors).toBeUndefined();
  });

  it('accepts every section of the document, in the domain and the database alike', async () => {
    for (const section of POSTMORTEM_DOCUMENT_SECTIONS) {
      const res = await add(commander.token, section, `On ${section}.`);
      expect(res.errors).toBeUndefined();
    }
  });

  it('refuses bad input with the field and what to fix, writing nothing', async () => {
    const before = await t.count('postmortem_comments');
    const unknown = await add(commander.token, 'appendix', 'x');
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'section' });
    expect(String(unknown.errors?.[0].extensions?.['reason'])).toContain('summary, impact, timeline, triggeringCause, contributingFactors, failedSafeguards, hypotheses, whatWentWell, whatWentPoorly, whereWeGotLucky, actionItems, runbookFeedback, lessons');
    expect((await add(commander.token, 'summary', '   ')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body', reason: 'must not be blank' });
    const big = await add(commander.token, 'summary', 'x'.repeat(102_401));
    expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body' });
    expect((await add(commander.token, 'summary', 'x'.repeat(102_400))).errors).toBeUndefined();
    expect((await add(commander.token, 'summary', 'x', '00000000-0000-4000-8000-000000000000')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await add(commander.token, 'summary', 'x', 'INC-1')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await t.count('postmortem_comments')).toBe(before + 1);
  });
});

describe('resolvePostmortemComment', () => {
  let commentId: string;

  beforeAll(async () => {
    commentId = (await add(reviewer.token, 'impact', 'How many payments failed?')).data!.addPostmortemComment.id;
  });

  it('a VIEWER who is not a reviewer may not resolve it; the author may, once; audited once', async () => {
    expect((await api.gql(RESOLVE, { id: commentId }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const res = await api.gql<{ resolvePostmortemComment: Comment }>(RESOLVE, { id: commentId }, reviewer.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.resolvePostmortemComment).toMatchObject({ id: commentId, resolvedAt: expect.any(String), resolvedBy: { id: reviewer.id } });

    const again = await api.gql<{ resolvePostmortemComment: Comment }>(RESOLVE, { id: commentId }, commander.token);
    expect(again.data!.resolvePostmortemComment).toEqual(res.data!.resolvePostmortemComment);
    const entries = (await audits('postmortem.comment-resolve')).filter((a) => a.after.id === commentId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: reviewer.id, entityType: 'Postmortem', before: { resolvedAt: null }, after: { resolvedById: reviewer.id } });
  });

  it("the incident's commander and COMMANDERs resolve others' comments", async () => {
    const a = (await add(reviewer.token, 'lessons', 'One more.')).data!.addPostmortemComment.id;
    const b = (await add(reviewer.token, 'lessons', 'And another.')).data!.addPostmortemComment.id;
    expect((await api.gql(RESOLVE, { id: a }, commander.token)).errors).toBeUndefined();
    expect((await api.gql(RESOLVE, { id: b }, otherCommander.token)).errors).toBeUndefined();
  });

  it('an unknown or malformed id is NOT_FOUND', async () => {
    expect((await api.gql(RESOLVE, { id: '00000000-0000-4000-8000-000000000000' }, commander.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(RESOLVE, { id: 'nope' }, commander.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
