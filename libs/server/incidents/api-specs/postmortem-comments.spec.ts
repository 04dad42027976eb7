import { POSTMORTEM_DOCUMENT_SECTIONS, type Role } from '@hindsight/domain';
import type { SessionActor } from '@hindsight/server-graphql';
import { IncidentsModule, IncidentsService, PostmortemCommentsRepository, PostmortemCommentsService, PostmortemsService, type IncidentInput } from '@hindsight/server-incidents';
import { ModuleHarness, refusal, selected, testModule } from '@hindsight/server-testing';

/*
 * Review comments on a postmortem's sections (issue 23): who comments and resolves, what is
 * refused and why, the audit trail, and the comments every reader gets. The incidents room,
 * no API: comments through PostmortemCommentsService as the mutations call it, read as
 * Postmortem.comments reads them. What a client meets (anonymous callers, the author as an
 * object, codes on the wire): incidents.roles.spec.ts.
 */

let room: ModuleHarness;
let admin: SessionActor;
let commander: SessionActor;
let reviewer: SessionActor;
let viewer: SessionActor;
let manager: SessionActor;
let otherCommander: SessionActor;
let incidentId: string;

const COMMENT = 'id section body createdAt resolvedAt authorId resolvedById';
interface Comment { id: string; section: string; body: string; createdAt: string; resolvedAt: string | null; authorId: string; resolvedById: string | null }

const audits = async (action: string) =>
  (await room.sql.query(`SELECT actor_id AS "actorId", entity_type AS "entityType", entity_id AS "entityId", before, after FROM audit_log WHERE action = $1 ORDER BY at, id`, [action])).rows;
const count = async (): Promise<number> => (await room.sql.query(`SELECT count(*)::int AS n FROM postmortem_comments`)).rows[0].n;
const add = async (actor: SessionActor, section: string, body: string, id = incidentId): Promise<Comment> =>
  selected<Comment>(await room.get(PostmortemCommentsService).add(actor, id, section, body), COMMENT);
const resolve = async (actor: SessionActor, id: string): Promise<Comment> => selected<Comment>(await room.get(PostmortemCommentsService).resolve(actor, id), COMMENT);
const incident = async (title: string, commanderId: string): Promise<string> =>
  (await room.get(IncidentsService).create(admin, { title, severity: 'SEV2', startedAt: new Date('2024-05-01T10:00:00Z'), commanderId } as IncidentInput)).id;

async function person(role: Role, name?: string): Promise<SessionActor> {
  if (!name) return room.actor(role);
  const email = `${name}@comments.test`;
  return { id: await room.rows.user({ email, name, role }), role, email, name, teamIds: [], via: 'session' };
}

beforeAll(async () => {
  room = await testModule([IncidentsModule]);
  admin = await person('ADMIN');
  commander = await person('COMMANDER');
  reviewer = await person('VIEWER', 'rita');
  viewer = await person('VIEWER');
  manager = await person('MANAGER');
  otherCommander = await person('COMMANDER');
  incidentId = await incident('Checkout declines', commander.id);
  await room.get(PostmortemsService).requestReview(commander, incidentId, [reviewer.id]);
});

afterAll(() => room?.close());

describe('addPostmortemComment', () => {
  it('a named reviewer (a VIEWER) comments on a section; everyone reads it; audited on the postmortem', async () => {
    const comment = await add(reviewer, 'timeline', 'Add **when** the page fired.');
    expect(comment).toMatchObject({ section: 'timeline', body: 'Add **when** the page fired.', resolvedAt: null, authorId: reviewer.id, resolvedById: null });

    const postmortemId = (await room.sql.query(`SELECT id FROM postmortems WHERE incident_id = $1`, [incidentId])).rows[0].id;
    const read = selected<Comment[]>(await room.get(PostmortemCommentsRepository).commentsOf([postmortemId]), COMMENT);
    expect(read).toContainEqual(expect.objectContaining({ id: comment.id, section: 'timeline', authorId: reviewer.id }));

    const [entry] = (await audits('postmortem.comment')).filter((a) => a.after.id === comment.id);
    expect(entry).toMatchObject({ actorId: reviewer.id, entityType: 'Postmortem', entityId: postmortemId, before: null, after: { section: 'timeline', body: 'Add **when** the page fired.' } });
  });

  it('the commander, other COMMANDERs, MANAGERs and ADMINs comment; a VIEWER who is neither reviewer nor commander may not', async () => {
    for (const actor of [commander, otherCommander, manager, admin]) expect(await add(actor, 'summary', 'Clear.')).toMatchObject({ authorId: actor.id });
    const before = await count();
    const refused = await refusal(add(viewer, 'summary', 'Me too.'));
    expect(refused.extensions.code).toBe('FORBIDDEN');
    expect(refused.message).toContain("postmortem's reviewers");
    expect(await count()).toBe(before);
  });

  it('a VIEWER commanding the incident may comment on its postmortem', async () => {
    const id = await incident('Viewer-commanded', viewer.id);
    expect(await add(viewer, 'lessons', 'Write down the runbook gap.', id)).toMatchObject({ section: 'lessons', authorId: viewer.id });
  });

  it('accepts every section of the document, in the domain and the database alike', async () => {
    for (const section of POSTMORTEM_DOCUMENT_SECTIONS) expect(await add(commander, section, `On ${section}.`)).toMatchObject({ section });
  });

  it('refuses bad input with the field and what to fix, writing nothing', async () => {
    const before = await count();
    const unknown = await refusal(add(commander, 'appendix', 'x'));
    expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'section' });
    expect(String(unknown.extensions['reason'])).toContain('summary, impact, timeline, triggeringCause, contributingFactors, failedSafeguards, hypotheses, whatWentWell, whatWentPoorly, whereWeGotLucky, actionItems, runbookFeedback, lessons');
    expect((await refusal(add(commander, 'summary', '   '))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body', reason: 'must not be blank' });
    expect((await refusal(add(commander, 'summary', 'x'.repeat(102_401)))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body' });
    await add(commander, 'summary', 'x'.repeat(102_400));
    expect((await refusal(add(commander, 'summary', 'x', '00000000-0000-4000-8000-000000000000'))).extensions.code).toBe('NOT_FOUND');
    expect((await refusal(add(commander, 'summary', 'x', 'INC-1'))).extensions.code).toBe('NOT_FOUND');
    expect(await count()).toBe(before + 1);
  });
});

describe('resolvePostmortemComment', () => {
  let commentId: string;

  beforeAll(async () => {
    commentId = (await add(reviewer, 'impact', 'How many payments failed?')).id;
  });

  it('a VIEWER who is not a reviewer may not resolve it; the author may, once; audited once', async () => {
    expect((await refusal(resolve(viewer, commentId))).extensions.code).toBe('FORBIDDEN');
    const resolved = await resolve(reviewer, commentId);
    expect(resolved).toMatchObject({ id: commentId, resolvedAt: expect.any(String), resolvedById: reviewer.id });

    expect(await resolve(commander, commentId)).toEqual(resolved);
    const entries = (await audits('postmortem.comment-resolve')).filter((a) => a.after.id === commentId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: reviewer.id, entityType: 'Postmortem', before: { resolvedAt: null }, after: { resolvedById: reviewer.id } });
  });

  it("the incident's commander and COMMANDERs resolve others' comments", async () => {
    const a = (await add(reviewer, 'lessons', 'One more.')).id;
    const b = (await add(reviewer, 'lessons', 'And another.')).id;
    expect(await resolve(commander, a)).toMatchObject({ resolvedById: commander.id });
    expect(await resolve(otherCommander, b)).toMatchObject({ resolvedById: otherCommander.id });
  });

  it('an unknown or malformed id is NOT_FOUND', async () => {
    expect((await refusal(resolve(commander, '00000000-0000-4000-8000-000000000000'))).extensions.code).toBe('NOT_FOUND');
    expect((await refusal(resolve(commander, 'nope'))).extensions.code).toBe('NOT_FOUND');
  });
});
