import { ideaCannotBeDone, validateCommit, validateDropIdea } from './commitment.rule';
import { isOverdue } from './overdue.rule';

describe('ideas and commitments', () => {
  const idea = { committed: false, status: 'OPEN' as const };
  const commitment = { committed: true, status: 'OPEN' as const };
  const dropped = { committed: false, status: 'WONT_DO' as const };

  it('commits an open idea with a team and a priority; the due date is optional', () => {
    expect(validateCommit(idea, { ownerTeamId: 't', priority: 'P1' })).toEqual([]);
    expect(validateCommit(idea, { ownerTeamId: 't', priority: 'P1', dueAt: new Date('2026-01-01T00:00:00Z') })).toEqual([]);
  });

  it('refuses a commitment, a dropped idea, a missing team, a bad priority or date', () => {
    expect(validateCommit(commitment, { ownerTeamId: 't', priority: 'P1' })).toEqual([{ field: 'id', reason: expect.stringContaining('already a commitment') }]);
    expect(validateCommit(dropped, { ownerTeamId: 't', priority: 'P1' })).toEqual([{ field: 'id', reason: expect.stringContaining('dropped') }]);
    expect(validateCommit(idea, { ownerTeamId: '', priority: 'P9', dueAt: 'soon' }).map((e) => e.field)).toEqual(['ownerTeamId', 'priority', 'dueAt']);
  });

  it('drops an open idea with a reason, never a commitment', () => {
    expect(validateDropIdea(idea, 'covered by INC-12 item')).toEqual([]);
    expect(validateDropIdea(idea, '  ')).toEqual([{ field: 'reason', reason: 'must not be blank' }]);
    expect(validateDropIdea(idea, undefined)).toEqual([{ field: 'reason', reason: 'is required' }]);
    expect(validateDropIdea(commitment, 'x')[0].field).toBe('id');
    expect(validateDropIdea(dropped, 'x')[0].reason).toContain('already WONT_DO');
  });

  it('an idea is never overdue and is committed before it is done', () => {
    const past = new Date('2020-01-01T00:00:00Z');
    const now = new Date('2026-01-01T00:00:00Z');
    expect(isOverdue({ status: 'OPEN', dueAt: past, committed: false }, now)).toBe(false);
    expect(isOverdue({ status: 'OPEN', dueAt: past, committed: true }, now)).toBe(true);
    expect(isOverdue({ status: 'OPEN', dueAt: past }, now)).toBe(true);
    expect(ideaCannotBeDone(idea, 'DONE')).toContain('commitActionItem');
    expect(ideaCannotBeDone(idea, 'IN_PROGRESS')).toBeNull();
    expect(ideaCannotBeDone(commitment, 'DONE')).toBeNull();
  });
});
