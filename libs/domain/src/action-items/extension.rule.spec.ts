import type { Actor } from '../identity/roles.policy';
import { canClaimActionItem, dueDateAnswer, extensionAudience, extensionDecisionRefusal, validateExtensionRequest } from './extension.rule';

const DAY = 86_400_000;
const now = new Date('2024-06-10T09:00:00Z');
const dueAt = new Date('2024-06-12T09:00:00Z');
const actor = (id: string, role: Actor['role'], teamIds: string[] = []): Actor => ({ id, role, teamIds });

describe('validateExtensionRequest', () => {
  const ok = { status: 'OPEN' as const, dueAt, until: new Date(dueAt.getTime() + 7 * DAY), reason: 'Waiting on the vendor' };

  it('accepts a later date with a reason', () => {
    expect(validateExtensionRequest(ok, now)).toEqual([]);
  });

  it.each([
    ['a past date', { until: new Date(now.getTime() - DAY) }, 'until', 'must be in the future'],
    ['now itself', { until: now }, 'until', 'must be in the future'],
    ['a date before the current due date', { until: new Date(dueAt.getTime() - 3_600_000) }, 'until', 'later than the current due date (2024-06-12 09:00 UTC)'],
    ['an invalid date', { until: new Date('nope') }, 'until', ''],
    ['an empty reason', { reason: '   ' }, 'reason', 'say why'],
    ['no reason', { reason: null }, 'reason', 'say why'],
    ['a closed item', { status: 'DONE' as const }, 'actionItemId', 'closed item'],
  ])('refuses %s on the field', (_what, change, field, reason) => {
    const errors = validateExtensionRequest({ ...ok, ...change }, now);
    expect(errors[0]).toEqual({ field, reason: expect.stringContaining(reason) });
  });
});

describe('extensionAudience', () => {
  it('a request reaches the team manager and the team channels; a manager asking for themselves only the channels', () => {
    expect(extensionAudience('REQUESTED', { actorId: 'u1', requesterId: 'u1', teamManagerId: 'm1' })).toEqual(['TEAM_MANAGER', 'TEAM_CHANNELS']);
    expect(extensionAudience('REQUESTED', { actorId: 'm1', requesterId: 'm1', teamManagerId: 'm1' })).toEqual(['TEAM_CHANNELS']);
    expect(extensionAudience('REQUESTED', { actorId: 'u1', requesterId: 'u1', teamManagerId: null })).toEqual(['TEAM_CHANNELS']);
  });

  it('a decision reaches the person who asked, never the one who decided', () => {
    expect(extensionAudience('DECIDED', { actorId: 'm1', requesterId: 'u1', teamManagerId: 'm1' })).toEqual(['REQUESTER']);
    expect(extensionAudience('DECIDED', { actorId: 'u1', requesterId: 'u1', teamManagerId: 'm1' })).toEqual([]);
  });
});

describe('extensionDecisionRefusal', () => {
  it('lets the owning team manager or an ADMIN decide, never the requester', () => {
    expect(extensionDecisionRefusal({ actor: actor('m', 'MANAGER'), requesterId: 'r', teamManagerId: 'm' })).toBeNull();
    expect(extensionDecisionRefusal({ actor: actor('a', 'ADMIN'), requesterId: 'r', teamManagerId: 'm' })).toBeNull();
    expect(extensionDecisionRefusal({ actor: actor('a', 'ADMIN'), requesterId: 'a', teamManagerId: 'm' })).toContain('someone else decides');
    expect(extensionDecisionRefusal({ actor: actor('m', 'MANAGER'), requesterId: 'm', teamManagerId: 'm' })).toContain('someone else decides');
    expect(extensionDecisionRefusal({ actor: actor('o', 'MANAGER'), requesterId: 'r', teamManagerId: 'm' })).toContain("owning team's manager");
    expect(extensionDecisionRefusal({ actor: actor('c', 'COMMANDER'), requesterId: 'r', teamManagerId: null })).toContain("owning team's manager");
  });
});

describe('dueDateAnswer', () => {
  const item = { ownerTeamId: 't', teamManagerId: 'm', priority: 'P1' as const };
  it.each([
    ['the manager, P1', actor('m', 'MANAGER', ['t']), item, 'CHANGE'],
    ['an ADMIN, P0', actor('a', 'ADMIN'), { ...item, priority: 'P0' as const }, 'CHANGE'],
    ['a member, P1', actor('u', 'COMMANDER', ['t']), item, 'REQUEST'],
    ['a commander outside the team, P0', actor('c', 'COMMANDER'), { ...item, priority: 'P0' as const }, 'REQUEST'],
    ['a member, P2', actor('u', 'MANAGER', ['t']), { ...item, priority: 'P2' as const }, 'CHANGE'],
    ['a viewer in the team', actor('v', 'VIEWER', ['t']), item, null],
    ['a manager of another team', actor('o', 'MANAGER', ['x']), item, null],
  ])('%s → %s', (_who, a, subject, expected) => {
    expect(dueDateAnswer(a, subject)).toBe(expected);
  });
});

describe('canClaimActionItem', () => {
  const item = { ownerTeamId: 't', teamManagerId: 'm' };
  it.each([
    ['a member', actor('u', 'COMMANDER', ['t']), true],
    ['the manager', actor('m', 'MANAGER'), true],
    ['an ADMIN', actor('a', 'ADMIN'), true],
    ['a viewer in the team', actor('v', 'VIEWER', ['t']), false],
    ['a commander outside the team', actor('c', 'COMMANDER', ['x']), false],
    ['a manager of another team', actor('o', 'MANAGER', ['x']), false],
  ])('%s: %s', (_who, a, allowed) => {
    expect(canClaimActionItem(a, item)).toBe(allowed);
  });
});
