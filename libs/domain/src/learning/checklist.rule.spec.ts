import { ChecklistInput, reviewChecklist } from './checklist.rule';

const complete: ChecklistInput = {
  kind: 'INCIDENT', impactText: '12 % of checkouts failed', customerImpact: 'Checkout errors', usersAffected: 1200, failedRequests: null,
  triggeringCauseText: 'An expired certificate', hasTriggerFactor: true, confirmedHypotheses: 1, evidencedEvents: 0, factors: 2, safeguards: 1,
  noActionReason: null, actions: [{ priority: 'P1', assigned: true, addresses: true }], affectedTeamIds: ['payments'], reviewerTeamIds: ['payments', 'sre'],
};
const met = (input: ChecklistInput) => Object.fromEntries(reviewChecklist(input).map((e) => [e.key, e.met]));

describe('review checklist', () => {
  it('scores the five items of the SRE book in order', () => {
    const list = reviewChecklist(complete);
    expect(list.map((e) => e.key)).toEqual(['impact', 'trigger', 'factors', 'actions', 'shared']);
    expect(list.every((e) => e.met)).toBe(true);
    expect(list[0].label).toBe('Impact complete');
  });

  it('names what is missing', () => {
    const bad = reviewChecklist({
      ...complete, impactText: '', confirmedHypotheses: 0, safeguards: 0,
      actions: [{ priority: 'P0', assigned: false, addresses: true }, { priority: 'P2', assigned: false, addresses: true }], reviewerTeamIds: ['sre'],
    });
    expect(bad.map((e) => [e.key, e.met, e.why])).toEqual([
      ['impact', false, 'the impact section is empty'],
      ['trigger', false, 'no evidence yet: confirm a hypothesis or link evidence on the timeline'],
      ['factors', false, 'no failed safeguard: what should have caught or limited this?'],
      ['actions', false, '1 P0/P1 item has no assignee'],
      ['shared', false, '1 affected team has no reviewer'],
    ]);
  });

  it('a near miss needs no impact figures; no action needs a reason', () => {
    expect(met({ ...complete, kind: 'NEAR_MISS', impactText: null, customerImpact: null, usersAffected: null })['impact']).toBe(true);
    expect(met({ ...complete, impactText: 'bad', customerImpact: null, usersAffected: null })['impact']).toBe(false);
    expect(met({ ...complete, actions: [], noActionReason: 'already fixed upstream' })['actions']).toBe(true);
    expect(met({ ...complete, actions: [] })['actions']).toBe(false);
    expect(met({ ...complete, actions: [{ priority: 'P3', assigned: false, addresses: false }] })['actions']).toBe(false);
  });
});
