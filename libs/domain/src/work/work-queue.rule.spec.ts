import type { Actor } from '../identity/roles.policy';
import { addDays } from '../time/time.util';
import { itemUrgency, WorkItemCandidate, WorkPostmortemCandidate, WorkQueueInput, workQueue, WorkRequestCandidate, WORK_URGENCIES } from './work-queue.rule';

const NOW = new Date('2026-06-15T12:00:00Z');
const day = (n: number) => addDays(NOW, n);

const ME = 'me';
const TEAM = 'payments';
const member: Actor = { id: ME, role: 'COMMANDER', teamIds: [TEAM] };
const manager: Actor = { id: ME, role: 'MANAGER', teamIds: [TEAM] };

function item(id: string, over: Partial<WorkItemCandidate> = {}): WorkItemCandidate {
  return {
    id, priority: 'P2', status: 'OPEN', dueAt: day(30), snoozedUntil: null, createdAt: day(-40), ownerTeamId: TEAM, teamManagerId: 'boss',
    assigneeId: ME, paths: ['ASSIGNED'], ...over,
  };
}
function request(id: string, of: WorkItemCandidate, over: Partial<WorkRequestCandidate> = {}): WorkRequestCandidate {
  const { paths: _paths, ...plain } = of;
  return { id, requesterId: 'dana', createdAt: day(-1), item: { ...plain, teamManagerId: ME }, ...over };
}
function postmortem(id: string, over: Partial<WorkPostmortemCandidate> = {}): WorkPostmortemCandidate {
  return { postmortemId: id, incidentId: `inc-${id}`, incidentReference: `INC-${id}`, status: 'DRAFT', dueAt: day(5), commanderId: ME, role: 'COMMANDER', since: day(-3), ...over };
}
const queue = (over: Partial<WorkQueueInput>, actor: Actor = member) => workQueue({ actor, items: [], requests: [], postmortems: [], incidents: [], ...over }, NOW);
const keys = (over: Partial<WorkQueueInput>, actor?: Actor) => queue(over, actor).map((e) => e.key);

describe('home urgency: the groups, in order', () => {
  it('puts one of each group in the documented order, snoozed last', () => {
    const entries = queue(
      {
        items: [
          item('snoozed-p0', { priority: 'P0', dueAt: day(-60), snoozedUntil: day(3) }),
          item('rest', { dueAt: day(40) }),
          item('unclaimed', { assigneeId: null, paths: ['UNCLAIMED'], dueAt: day(20) }),
          item('due-soon', { dueAt: day(6) }),
          item('overdue-p3', { priority: 'P3', dueAt: day(-2) }),
          item('escalated-p2', { dueAt: day(-8), paths: ['ESCALATED_TO_ME'], assigneeId: 'dana' }),
          item('overdue-p1', { priority: 'P1', dueAt: day(-1) }),
          item('overdue-p0', { priority: 'P0', dueAt: day(-1) }),
          item('asked', { dueAt: day(25), paths: [], assigneeId: 'dana' }),
        ],
        requests: [],
        postmortems: [postmortem('late', { dueAt: day(-1) }), postmortem('review', { role: 'REVIEWER', commanderId: 'cam', status: 'IN_REVIEW' })],
        incidents: [{ id: 'i1', reference: 'INC-9', severity: 'SEV2', startedAt: day(0), commanderId: ME }],
      },
      manager,
    );
    expect(entries.map((e) => [e.key, e.urgency])).toEqual([
      ['item:overdue-p0', 'OVERDUE_P0'],
      ['item:overdue-p1', 'OVERDUE_P1'],
      ['item:escalated-p2', 'ESCALATED'],
      ['item:overdue-p3', 'OVERDUE'],
      ['postmortem:review', 'REVIEW_REQUESTED'],
      ['postmortem:late', 'POSTMORTEM_PAST_DUE'],
      ['item:due-soon', 'DUE_SOON'],
      ['item:unclaimed', 'UNCLAIMED'],
      ['item:asked', 'OTHER'],
      ['item:rest', 'OTHER'],
      ['incident:i1', 'OTHER'],
      ['item:snoozed-p0', 'SNOOZED'],
    ]);
  });

  it('places an extension request between escalated items and other overdue ones', () => {
    const asked = item('asked', { dueAt: day(25), assigneeId: 'dana', paths: [] });
    const entries = queue({ items: [item('overdue-p3', { priority: 'P3', dueAt: day(-2) }), item('escalated', { dueAt: day(-9) })], requests: [request('r1', asked)] }, manager);
    expect(entries.map((e) => [e.key, e.kind, e.urgency])).toEqual([
      ['item:escalated', 'ACTION_ITEM', 'ESCALATED'],
      ['item:asked', 'EXTENSION_REQUEST', 'EXTENSION_REQUESTED'],
      ['item:overdue-p3', 'ACTION_ITEM', 'OVERDUE'],
    ]);
  });

  it('covers every group the rule names', () => {
    expect(WORK_URGENCIES).toEqual([
      'OVERDUE_P0', 'OVERDUE_P1', 'ESCALATED', 'EXTENSION_REQUESTED', 'OVERDUE', 'REVIEW_REQUESTED', 'POSTMORTEM_PAST_DUE', 'DUE_SOON', 'UNCLAIMED', 'OTHER', 'SNOOZED',
    ]);
  });
});

describe('home urgency: the edges of each group', () => {
  const urgency = (over: Partial<WorkItemCandidate>) => itemUrgency(item('x', over), NOW);

  it('an item is overdue only after its due instant; at it, it is due soon', () => {
    expect(urgency({ priority: 'P0', dueAt: NOW })).toBe('DUE_SOON');
    expect(urgency({ priority: 'P0', dueAt: new Date(NOW.getTime() - 1) })).toBe('OVERDUE_P0');
  });

  it('ESCALATED starts when the ladder reaches it, 7 days after the due date', () => {
    expect(urgency({ dueAt: addDays(NOW, -7) })).toBe('ESCALATED');
    expect(urgency({ dueAt: new Date(addDays(NOW, -7).getTime() + 1) })).toBe('OVERDUE');
    expect(urgency({ priority: 'P3', dueAt: day(-30) })).toBe('ESCALATED');
  });

  it('an overdue P0 or P1 stays in its own group however late', () => {
    expect(urgency({ priority: 'P1', dueAt: day(-52) })).toBe('OVERDUE_P1');
  });

  it('due soon means within 7 days, inclusive', () => {
    expect(urgency({ dueAt: day(7) })).toBe('DUE_SOON');
    expect(urgency({ dueAt: new Date(day(7).getTime() + 1) })).toBe('OTHER');
  });

  it('an unclaimed item not due soon is UNCLAIMED; due soon it is DUE_SOON; overdue it is overdue', () => {
    expect(urgency({ assigneeId: null, dueAt: day(30) })).toBe('UNCLAIMED');
    expect(urgency({ assigneeId: null, dueAt: day(2) })).toBe('DUE_SOON');
    expect(urgency({ assigneeId: null, priority: 'P0', dueAt: day(-2) })).toBe('OVERDUE_P0');
  });

  it('a snooze puts an item last while it lasts, and not a moment longer', () => {
    expect(urgency({ priority: 'P0', dueAt: day(-52), snoozedUntil: day(1) })).toBe('SNOOZED');
    expect(urgency({ priority: 'P0', dueAt: day(-52), snoozedUntil: NOW })).toBe('OVERDUE_P0');
  });

  it('closed items are never overdue', () => {
    expect(urgency({ status: 'DONE', priority: 'P0', dueAt: day(-3) })).toBe('OTHER');
  });

  it('a postmortem is past due after its due date; without one it waits in the rest', () => {
    expect(queue({ postmortems: [postmortem('a', { dueAt: new Date(NOW.getTime() - 1) })] })[0].urgency).toBe('POSTMORTEM_PAST_DUE');
    expect(queue({ postmortems: [postmortem('a', { dueAt: NOW })] })[0].urgency).toBe('OTHER');
    expect(queue({ postmortems: [postmortem('a', { dueAt: null })] })[0].urgency).toBe('OTHER');
  });
});

describe('home urgency: ties within a group', () => {
  it('the oldest due date first', () => {
    expect(keys({ items: [item('b', { priority: 'P0', dueAt: day(-1) }), item('a', { priority: 'P0', dueAt: day(-52) })] })).toEqual(['item:a', 'item:b']);
  });

  it('same due date: the higher priority first (ESCALATED holds P2 and P3)', () => {
    const due = day(-10);
    expect(keys({ items: [item('p3', { priority: 'P3', dueAt: due }), item('p2', { priority: 'P2', dueAt: due })] })).toEqual(['item:p2', 'item:p3']);
  });

  it('same due date and priority: the one waiting longest first, then by id', () => {
    const due = day(-2);
    expect(keys({ items: [item('new', { priority: 'P0', dueAt: due, createdAt: day(-3) }), item('old', { priority: 'P0', dueAt: due, createdAt: day(-9) })] })).toEqual(['item:old', 'item:new']);
    expect(keys({ items: [item('b', { priority: 'P0', dueAt: due }), item('a', { priority: 'P0', dueAt: due })] })).toEqual(['item:a', 'item:b']);
  });

  it('reviews without a due date come after those with one, then the longest asked first', () => {
    const review = (id: string, dueAt: Date | null, since: Date) => postmortem(id, { role: 'REVIEWER', status: 'IN_REVIEW', commanderId: 'cam', dueAt, since });
    expect(keys({ postmortems: [review('none-old', null, day(-9)), review('none-new', null, day(-1)), review('due', day(9), day(-1))] })).toEqual([
      'postmortem:due', 'postmortem:none-old', 'postmortem:none-new',
    ]);
  });

  it('incidents in the rest: the most severe first', () => {
    const incident = (id: string, severity: 'SEV1' | 'SEV3') => ({ id, reference: `INC-${id}`, severity, startedAt: day(-1), commanderId: ME });
    expect(keys({ incidents: [incident('3', 'SEV3'), incident('1', 'SEV1')] })).toEqual(['incident:1', 'incident:3']);
  });

  it('snoozed items among themselves: the oldest due date first', () => {
    expect(keys({ items: [item('b', { dueAt: day(-1), snoozedUntil: day(2) }), item('a', { dueAt: day(-5), snoozedUntil: day(9) })] })).toEqual(['item:a', 'item:b']);
  });
});

describe('home urgency: each thing once, with its reason', () => {
  it('an item that is mine, escalated to me and unclaimed-by-someone-else is one entry; mine wins the reason', () => {
    const entries = queue({ items: [item('x', { dueAt: day(-9), paths: ['ESCALATED_TO_ME', 'ASSIGNED'] }), item('x', { dueAt: day(-9), paths: ['ESCALATED_TO_ME'] })] }, manager);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ key: 'item:x', reason: 'overdue', urgency: 'ESCALATED' });
  });

  it('says why each thing is there', () => {
    const reasons = queue(
      {
        items: [
          item('mine-late', { dueAt: day(-1) }),
          item('mine-soon', { dueAt: day(2) }),
          item('theirs', { dueAt: day(-8), paths: ['ESCALATED_TO_ME'], assigneeId: 'dana' }),
          item('nobody', { assigneeId: null, paths: ['UNCLAIMED'] }),
          item('nobody-late', { assigneeId: null, paths: ['UNCLAIMED'], priority: 'P2', dueAt: day(-200) }),
          item('nobody-soon', { assigneeId: null, paths: ['UNCLAIMED'], dueAt: day(1) }),
        ],
        requests: [request('r', item('asked', { assigneeId: 'dana', paths: [] }))],
        postmortems: [postmortem('w', { dueAt: day(-2) }), postmortem('d', { dueAt: day(4) }), postmortem('ir', { status: 'IN_REVIEW', dueAt: day(1) }), postmortem('rv', { role: 'REVIEWER', commanderId: 'cam' })],
        incidents: [{ id: 'i', reference: 'INC-1', severity: 'SEV1', startedAt: day(0), commanderId: ME }],
      },
      manager,
    );
    expect(Object.fromEntries(reasons.map((e) => [e.key, e.reason]))).toEqual({
      'item:mine-late': 'overdue',
      'item:mine-soon': 'due soon',
      'item:theirs': 'escalated to you',
      'item:nobody': 'nobody has taken it',
      'item:nobody-late': 'overdue, nobody has taken it',
      'item:nobody-soon': 'due soon, nobody has taken it',
      'item:asked': 'extension asked',
      'postmortem:w': 'postmortem past due',
      'postmortem:d': 'postmortem to write',
      'postmortem:ir': 'in review',
      'postmortem:rv': 'review requested',
      'incident:i': 'incident you command',
    });
  });

  it('a request waiting for me replaces its item, and takes the item\'s group when that is more urgent', () => {
    const late = item('late', { priority: 'P0', dueAt: day(-3), paths: ['ESCALATED_TO_ME'], assigneeId: 'dana' });
    const entries = queue({ items: [late], requests: [request('r1', late)] }, manager);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ key: 'item:late', kind: 'EXTENSION_REQUEST', extensionRequestId: 'r1', actionItemId: 'late', urgency: 'OVERDUE_P0', reason: 'extension asked' });
  });

  it('a request is never snoozed: the decision still waits', () => {
    const snoozed = item('s', { dueAt: day(20), snoozedUntil: day(3), assigneeId: 'dana', paths: [] });
    expect(queue({ items: [snoozed], requests: [request('r', snoozed)] }, manager)[0]).toMatchObject({ kind: 'EXTENSION_REQUEST', urgency: 'EXTENSION_REQUESTED' });
  });

  it('two requests for one item: the older is the entry', () => {
    const asked = item('a', { assigneeId: 'dana', paths: [] });
    const entries = queue({ requests: [request('newer', asked, { createdAt: day(-1) }), request('older', asked, { createdAt: day(-5) })] }, manager);
    expect(entries.map((e) => e.extensionRequestId)).toEqual(['older']);
  });

  it('one postmortem I review and command is one entry, the more urgent', () => {
    const entries = queue({ postmortems: [postmortem('p', { dueAt: day(-1), status: 'IN_REVIEW' }), postmortem('p', { role: 'REVIEWER', status: 'IN_REVIEW', dueAt: day(-1) })] });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'REVIEW', urgency: 'REVIEW_REQUESTED' });
  });

  it('names whose it is: the assignee and team of items, the commander of postmortems', () => {
    const [entry] = queue({ items: [item('t', { dueAt: day(-8), paths: ['ESCALATED_TO_ME'], assigneeId: 'dana' })] }, manager);
    expect(entry).toMatchObject({ ownerId: 'dana', teamId: TEAM });
    expect(queue({ postmortems: [postmortem('p', { role: 'REVIEWER', commanderId: 'cam' })] })[0]).toMatchObject({ ownerId: 'cam', teamId: null });
  });
});

describe('home urgency: only the answers this person may give', () => {
  const answers = (actor: Actor, over: Partial<WorkQueueInput>) => queue(over, actor).map((e) => e.answers.map((a) => a.kind));

  it('my own item: done and more time', () => {
    expect(answers(member, { items: [item('x', { dueAt: day(-1) })] })).toEqual([['COMPLETE', 'EXTEND']]);
    expect(queue({ items: [item('x', { dueAt: day(-1) })] })[0].answers).toEqual([
      { kind: 'COMPLETE', label: 'Done', path: '/action-items/x?action=complete' },
      { kind: 'EXTEND', label: 'Need more time', path: '/action-items/x?action=extend' },
    ]);
  });

  it('an unclaimed team item: claim first', () => {
    expect(answers(member, { items: [item('x', { assigneeId: null, paths: ['UNCLAIMED'] })] })).toEqual([['CLAIM', 'COMPLETE', 'EXTEND']]);
  });

  it('someone outside the owning team: nothing but Open', () => {
    const outsider: Actor = { id: ME, role: 'MANAGER', teamIds: ['search'] };
    expect(answers(outsider, { items: [item('x', { dueAt: day(-9), paths: ['ESCALATED_TO_ME'], assigneeId: 'dana' })] })).toEqual([['OPEN']]);
  });

  it("the team's manager on a member's escalated item: done and more time", () => {
    expect(answers(manager, { items: [item('x', { dueAt: day(-9), paths: ['ESCALATED_TO_ME'], assigneeId: 'dana', teamManagerId: ME })] })).toEqual([['COMPLETE', 'EXTEND']]);
  });

  it('an extension request: approve or decline, unless I asked it myself', () => {
    const asked = item('a', { assigneeId: 'dana', paths: [] });
    expect(answers(manager, { requests: [request('r', asked)] })).toEqual([['APPROVE', 'DECLINE']]);
    expect(answers({ id: 'dana', role: 'ADMIN', teamIds: [] }, { requests: [request('r', asked)] })).toEqual([['OPEN']]);
  });

  it('in-review postmortems are "Review", drafts "Write"; a reviewer reviews', () => {
    expect(answers(member, { postmortems: [postmortem('d'), postmortem('r', { status: 'IN_REVIEW' })] })).toEqual([['WRITE'], ['REVIEW']]);
    expect(answers({ id: ME, role: 'VIEWER', teamIds: [] }, { postmortems: [postmortem('v', { role: 'REVIEWER', commanderId: 'cam', status: 'IN_REVIEW' })] })).toEqual([['REVIEW']]);
  });

  it('a draft whose commander may not edit postmortems only opens', () => {
    expect(answers({ id: ME, role: 'VIEWER', teamIds: [] }, { postmortems: [postmortem('d')] })).toEqual([['OPEN']]);
  });
});
