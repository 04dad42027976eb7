import { LADDER_STEPS } from '../enums/contract.enums';
import { isPersonAudience, ladderRecipients, postmortemLadderRecipients } from './recipients.policy';

describe('ladderRecipients (PRODUCT.md 4)', () => {
  it.each([
    ['DUE_SOON', ['ASSIGNEE', 'TEAM_CHANNELS']],
    ['DUE', ['ASSIGNEE', 'TEAM_CHANNELS']],
    ['OVERDUE', ['ASSIGNEE', 'TEAM_CHANNELS']],
    ['ESCALATED', ['ASSIGNEE', 'TEAM_MANAGER', 'TEAM_CHANNELS']],
    ['LEADERSHIP', ['TEAM_CHANNELS', 'LEADERSHIP_CHANNELS']],
  ] as const)('with an assignee, %s → %j', (step, audiences) => {
    expect(ladderRecipients(step, { hasAssignee: true })).toEqual(audiences);
  });

  it.each([
    ['DUE_SOON', ['TEAM_MANAGER', 'TEAM_CHANNELS']],
    ['DUE', ['TEAM_MANAGER', 'TEAM_CHANNELS']],
    ['OVERDUE', ['TEAM_MANAGER', 'TEAM_CHANNELS']],
    ['ESCALATED', ['TEAM_MANAGER', 'TEAM_CHANNELS']],
    ['LEADERSHIP', ['TEAM_CHANNELS', 'LEADERSHIP_CHANNELS']],
  ] as const)('without an assignee, %s → %j', (step, audiences) => {
    expect(ladderRecipients(step, { hasAssignee: false })).toEqual(audiences);
  });

  it('every step reaches the team channels; only LEADERSHIP reaches leadership', () => {
    for (const step of LADDER_STEPS) {
      expect(ladderRecipients(step, { hasAssignee: true })).toContain('TEAM_CHANNELS');
      expect(ladderRecipients(step, { hasAssignee: true }).includes('LEADERSHIP_CHANNELS')).toBe(step === 'LEADERSHIP');
    }
  });

  it('no audience is listed twice', () => {
    for (const step of LADDER_STEPS) for (const hasAssignee of [true, false]) {
      const r = ladderRecipients(step, { hasAssignee });
      expect(new Set(r).size).toBe(r.length);
    }
  });
});

describe('postmortemLadderRecipients', () => {
  it('addresses the commander, escalating to the manager of their team', () => {
    expect(postmortemLadderRecipients('DUE', { hasCommander: true })).toEqual(['COMMANDER', 'TEAM_CHANNELS']);
    expect(postmortemLadderRecipients('ESCALATED', { hasCommander: true })).toEqual(['COMMANDER', 'TEAM_MANAGER', 'TEAM_CHANNELS']);
    expect(postmortemLadderRecipients('LEADERSHIP', { hasCommander: true })).toEqual(['TEAM_CHANNELS', 'LEADERSHIP_CHANNELS']);
  });

  it('without a commander the team manager takes their place', () => {
    expect(postmortemLadderRecipients('OVERDUE', { hasCommander: false })).toEqual(['TEAM_MANAGER', 'TEAM_CHANNELS']);
  });
});

describe('isPersonAudience', () => {
  it('people get email; channels are channels', () => {
    expect(isPersonAudience('ASSIGNEE')).toBe(true);
    expect(isPersonAudience('COMMANDER')).toBe(true);
    expect(isPersonAudience('TEAM_MANAGER')).toBe(true);
    expect(isPersonAudience('TEAM_CHANNELS')).toBe(false);
    expect(isPersonAudience('LEADERSHIP_CHANNELS')).toBe(false);
  });
});
