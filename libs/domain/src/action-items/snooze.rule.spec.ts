import { isSnoozed, SnoozeRequest, validateDueDateChange, validateSnooze } from './snooze.rule';

const DAY = 86_400_000;
const now = new Date('2024-05-01T09:00:00Z');
const after = (ms: number): Date => new Date(now.getTime() + ms);
const request = (over: Partial<SnoozeRequest> = {}): SnoozeRequest => ({
  priority: 'P2',
  until: after(3 * DAY),
  reason: 'waiting on vendor fix',
  actorRole: 'COMMANDER',
  actorIsManagerOfOwningTeam: false,
  ...over,
});
const fields = (r: { errors: { field: string }[] }): string[] => r.errors.map((e) => e.field);

describe('validateSnooze', () => {
  it('accepts a reasoned snooze of a P2 by any editor', () => {
    expect(validateSnooze(request(), now)).toEqual({ errors: [], forbidden: null });
  });

  it('needs a reason', () => {
    expect(fields(validateSnooze(request({ reason: '' }), now))).toEqual(['reason']);
    expect(fields(validateSnooze(request({ reason: undefined }), now))).toEqual(['reason']);
  });

  it('until must be in the future: now is refused, now + 1 ms is fine', () => {
    expect(validateSnooze(request({ until: now }), now).errors).toEqual([{ field: 'until', reason: 'must be in the future' }]);
    expect(fields(validateSnooze(request({ until: after(-DAY) }), now))).toEqual(['until']);
    expect(fields(validateSnooze(request({ until: after(1) }), now))).toEqual([]);
  });

  it('at most 14 days: exactly 14 × 24 h is fine, 1 ms more is not', () => {
    expect(fields(validateSnooze(request({ until: after(14 * DAY) }), now))).toEqual([]);
    const r = validateSnooze(request({ until: after(14 * DAY + 1) }), now);
    expect(r.errors).toEqual([{ field: 'until', reason: expect.stringContaining('at most 14 days') }]);
  });

  it('refuses an invalid date', () => {
    expect(fields(validateSnooze(request({ until: new Date('x') }), now))).toEqual(['until']);
  });

  it.each(['P0', 'P1'] as const)('%s needs the owning team manager or an ADMIN', (priority) => {
    expect(validateSnooze(request({ priority }), now).forbidden).toContain('manager');
    expect(validateSnooze(request({ priority, actorRole: 'MANAGER' }), now).forbidden).not.toBeNull();
    expect(validateSnooze(request({ priority, actorRole: 'MANAGER', actorIsManagerOfOwningTeam: true }), now).forbidden).toBeNull();
    expect(validateSnooze(request({ priority, actorRole: 'COMMANDER', actorIsManagerOfOwningTeam: true }), now).forbidden).toBeNull();
    expect(validateSnooze(request({ priority, actorRole: 'ADMIN' }), now).forbidden).toBeNull();
  });

  it.each(['P2', 'P3'] as const)('%s needs no approval', (priority) => {
    expect(validateSnooze(request({ priority, actorRole: 'MANAGER' }), now).forbidden).toBeNull();
  });

  it('closed items cannot be snoozed; open ones can', () => {
    expect(fields(validateSnooze(request({ status: 'DONE' }), now))).toEqual(['id']);
    expect(fields(validateSnooze(request({ status: 'WONT_DO' }), now))).toEqual(['id']);
    expect(fields(validateSnooze(request({ status: 'BLOCKED' }), now))).toEqual([]);
  });

  it('reports input errors and the permission problem separately', () => {
    const r = validateSnooze(request({ priority: 'P0', reason: '', until: after(30 * DAY) }), now);
    expect(fields(r)).toEqual(['reason', 'until']);
    expect(r.forbidden).not.toBeNull();
  });
});

describe('isSnoozed', () => {
  it('pauses strictly before snoozedUntil and resumes at it', () => {
    expect(isSnoozed(after(1), now)).toBe(true);
    expect(isSnoozed(now, now)).toBe(false);
    expect(isSnoozed(after(-1), now)).toBe(false);
    expect(isSnoozed(null, now)).toBe(false);
    expect(isSnoozed(undefined, now)).toBe(false);
  });
});

describe('validateDueDateChange', () => {
  it('needs a reason', () => {
    expect(validateDueDateChange({ status: 'OPEN', dueAt: after(DAY), reason: 'blocked on vendor' })).toEqual([]);
    expect(validateDueDateChange({ status: 'OPEN', dueAt: after(DAY), reason: ' ' })).toEqual([{ field: 'reason', reason: 'a reason is required to change a due date' }]);
  });

  it('allows a past date (backfill), refuses an invalid one', () => {
    expect(validateDueDateChange({ status: 'IN_PROGRESS', dueAt: after(-10 * DAY), reason: 'backfill' })).toEqual([]);
    expect(validateDueDateChange({ status: 'OPEN', dueAt: new Date('x'), reason: 'r' }).map((e) => e.field)).toEqual(['dueAt']);
  });

  it("freezes closed items' deadlines", () => {
    expect(validateDueDateChange({ status: 'DONE', dueAt: after(DAY), reason: 'r' }).map((e) => e.field)).toEqual(['id']);
    expect(validateDueDateChange({ status: 'WONT_DO', dueAt: after(DAY), reason: 'r' }).map((e) => e.field)).toEqual(['id']);
  });
});
