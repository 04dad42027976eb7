import { addDays } from '../time/time.util';
import { EscalationContext, EscalationDelivery, escalationHistory, EscalationRecord, EscalationSubject } from './escalation.history';
import { LadderStep } from '../enums/contract.enums';

const DUE = new Date('2026-03-01T09:00:00Z');
const at = (days: number) => addDays(DUE, days);

const item = (over: Partial<Extract<EscalationSubject, { kind: 'ACTION_ITEM' }>> = {}): EscalationSubject => ({ kind: 'ACTION_ITEM', dueAt: DUE, status: 'OPEN', snoozedUntil: null, ...over });
const context = (over: Partial<EscalationContext> = {}): EscalationContext => ({
  teamName: 'Payments', hasOwner: true, hasManager: true, ownerIsManager: false,
  teamChannels: [{ kind: 'SLACK', name: '#payments' }], leadershipChannels: [{ kind: 'EMAIL', name: 'VP list' }], emailConfigured: true, ...over,
});
const sent = (step: LadderStep, over: Partial<EscalationDelivery> = {}): EscalationDelivery => ({
  step, audience: 'OWNER', kind: 'EMAIL', channelName: null, status: 'SENT', lastError: null, noEmailServer: false, ...over,
});
const rec = (...steps: LadderStep[]): EscalationRecord[] => steps.map((step) => ({ step, superseded: false }));
const states = (views: ReturnType<typeof escalationHistory>) => views.map((v) => [v.step, v.state]);

describe('escalationHistory: what happened', () => {
  it('before anything is due: only the next step, with whom it will reach', () => {
    const views = escalationHistory(item(), [], [], context(), at(-10));
    expect(views).toEqual([
      { step: 'DUE_SOON', dueAt: at(-3), state: 'SCHEDULED', reached: ['the assignee, by e-mail', "Payments's Slack channel “#payments”"], reason: null, adminHint: null, adminPath: null },
    ]);
  });

  it('a sent step names its recipients by their part, never by name', () => {
    const views = escalationHistory(
      item(),
      rec('DUE_SOON'),
      [sent('DUE_SOON'), sent('DUE_SOON', { audience: 'TEAM_CHANNEL', kind: 'SLACK', channelName: '#payments' })],
      context(),
      at(-2),
    );
    expect(views[0]).toEqual({ step: 'DUE_SOON', dueAt: at(-3), state: 'SENT', reached: ['the assignee, by e-mail', "Payments's Slack channel “#payments”"], reason: null, adminHint: null, adminPath: null });
    expect(views[1]).toMatchObject({ step: 'DUE', state: 'SCHEDULED', dueAt: DUE });
  });

  it('the issue\'s P0 at LEADERSHIP with no leadership channel and no e-mail server: every step says why it reached nobody', () => {
    const noSmtp = (step: LadderStep, audience: EscalationDelivery['audience'] = 'OWNER') => sent(step, { audience, status: 'FAILED', noEmailServer: true, lastError: 'set SMTP_URL' });
    const ctx = context({ emailConfigured: false, teamChannels: [], leadershipChannels: [] });
    const views = escalationHistory(
      item(),
      [...rec('OVERDUE', 'ESCALATED', 'LEADERSHIP'), { step: 'DUE_SOON', superseded: true }, { step: 'DUE', superseded: true }],
      [noSmtp('OVERDUE'), noSmtp('ESCALATED'), noSmtp('ESCALATED', 'MANAGER')],
      ctx,
      at(30),
    );
    expect(states(views)).toEqual([
      ['DUE_SOON', 'SUPERSEDED'], ['DUE', 'SUPERSEDED'], ['OVERDUE', 'UNREACHED'], ['ESCALATED', 'UNREACHED'], ['LEADERSHIP', 'UNREACHED'],
    ]);
    expect(views[2]).toMatchObject({ reached: [], reason: 'e-mail is not set up on this server; Payments has no notification channel', adminHint: 'Set SMTP_URL (and SMTP_FROM) and restart the worker. Add a channel for Payments under Settings → Notification channels.' });
    expect(views[4]).toMatchObject({
      reached: [],
      reason: 'Payments has no notification channel; no leadership channel is configured',
      adminHint: 'Add a channel for Payments under Settings → Notification channels. Add a leadership channel (a channel without a team) under Settings → Notification channels.',
      adminPath: '/settings#channels-heading',
    });
    expect(views[0].reason).toContain('only the most advanced one was sent');
  });

  it('LEADERSHIP reaching the team channel but no leadership: sent, and says leadership was not told', () => {
    const views = escalationHistory(item(), rec('LEADERSHIP'), [sent('LEADERSHIP', { audience: 'TEAM_CHANNEL', kind: 'SLACK', channelName: '#payments' })], context({ leadershipChannels: [] }), at(22));
    expect(views.find((v) => v.step === 'LEADERSHIP')).toMatchObject({ state: 'SENT', reached: ["Payments's Slack channel “#payments”"], reason: 'no leadership channel is configured' });
  });

  it('a gap fixed since is told in the past, without a hint', () => {
    const views = escalationHistory(item(), rec('LEADERSHIP'), [sent('LEADERSHIP', { audience: 'TEAM_CHANNEL', kind: 'SLACK', channelName: '#payments' })], context(), at(22));
    expect(views[0]).toMatchObject({ state: 'SENT', reason: 'no leadership channel was configured then', adminHint: null });
  });

  it('an unassigned item of a team without a manager or channel: nobody, and why', () => {
    const views = escalationHistory(item(), rec('DUE'), [], context({ hasOwner: false, hasManager: false, teamChannels: [] }), at(0.5));
    expect(views[0]).toMatchObject({ step: 'DUE', state: 'UNREACHED', reason: 'nobody is assigned and Payments has no manager; Payments has no notification channel', adminPath: '/teams' });
  });

  it('the escalation reaching the assignee but not the manager says so', () => {
    const views = escalationHistory(item(), rec('ESCALATED'), [sent('ESCALATED')], context({ hasManager: false }), at(8));
    expect(views[0]).toMatchObject({ state: 'SENT', reached: ['the assignee, by e-mail'], reason: 'Payments has no manager' });
  });

  it('one e-mail to an assignee who manages the team reaches both', () => {
    const views = escalationHistory(item(), rec('ESCALATED'), [sent('ESCALATED', { audience: 'OWNER_MANAGER' })], context({ ownerIsManager: true }), at(8));
    expect(views[0]).toMatchObject({ state: 'SENT', reached: ['the assignee, who manages Payments, by e-mail'], reason: null });
  });

  it('FAILED when every delivery was tried and failed; the receiver\'s answer is for administrators', () => {
    const views = escalationHistory(item(), rec('DUE'), [sent('DUE', { audience: 'TEAM_CHANNEL', kind: 'WEBHOOK', channelName: 'pager', status: 'FAILED', lastError: 'POST hooks.example.com answered HTTP 503' })], context({ hasOwner: false, hasManager: false }), at(0.5));
    expect(views[0]).toMatchObject({ state: 'FAILED', reason: "the delivery to Payments's webhook “pager” failed; nobody is assigned and Payments has no manager", adminHint: 'POST hooks.example.com answered HTTP 503 Name a manager for Payments under Teams.' });
  });

  it('a partial failure is still SENT, with the failure in the reason', () => {
    const views = escalationHistory(item(), rec('DUE'), [sent('DUE'), sent('DUE', { audience: 'TEAM_CHANNEL', kind: 'SLACK', channelName: '#payments', status: 'FAILED', lastError: 'HTTP 404' })], context(), at(0.5));
    expect(views[0]).toMatchObject({ state: 'SENT', reached: ['the assignee, by e-mail'], reason: "the delivery to Payments's Slack channel “#payments” failed" });
  });

  it('PENDING while deliveries are still being tried', () => {
    const views = escalationHistory(item(), rec('DUE'), [sent('DUE', { status: 'PENDING' })], context(), at(0.5));
    expect(views[0]).toMatchObject({ state: 'PENDING', reached: [], reason: 'being delivered' });
  });

  it('SKIPPED when the subject went quiet before it went out, in the outbox\'s words', () => {
    const views = escalationHistory(item({ status: 'DONE' }), rec('DUE'), [sent('DUE', { status: 'SKIPPED', lastError: 'the action item was closed (DONE) before the reminder went out' })], context(), at(0.5));
    expect(views).toEqual([expect.objectContaining({ state: 'SKIPPED', reason: 'the action item was closed (DONE) before the reminder went out' })]);
  });

  it('deliveries to a person who has changed since, and to a deleted channel', () => {
    const views = escalationHistory(item(), rec('DUE'), [sent('DUE', { audience: 'PERSON' }), sent('DUE', { audience: 'DELETED_CHANNEL', kind: 'SLACK', channelName: '#old' })], context(), at(0.5));
    expect(views[0].reached).toEqual(['the person responsible at the time, by e-mail', 'Slack channel “#old” (since deleted)']);
  });
});

describe('escalationHistory: what comes next, by the ladder', () => {
  it('a step due but not yet recorded is PENDING for the next chase run; earlier unrecorded ones will be superseded', () => {
    const views = escalationHistory(item(), [], [], context(), at(2));
    expect(states(views)).toEqual([['DUE_SOON', 'SUPERSEDED'], ['DUE', 'SUPERSEDED'], ['OVERDUE', 'PENDING'], ['ESCALATED', 'SCHEDULED']]);
    expect(views[2]).toMatchObject({ reason: 'due now: it goes out with the next chase run', reached: ['the assignee, by e-mail', "Payments's Slack channel “#payments”"] });
    expect(views[3].dueAt).toEqual(at(7));
  });

  it('the next step that will reach nobody says so before it comes', () => {
    const views = escalationHistory(item(), rec('DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED'), [], context({ teamChannels: [], leadershipChannels: [] }), at(10));
    expect(views.at(-1)).toMatchObject({ step: 'LEADERSHIP', state: 'SCHEDULED', dueAt: at(21), reached: [], reason: 'will reach nobody; Payments has no notification channel; no leadership channel is configured' });
  });

  it('e-mail not set up: the next step will not reach people', () => {
    const views = escalationHistory(item(), rec('DUE_SOON'), [], context({ emailConfigured: false }), at(-2));
    expect(views.at(-1)).toMatchObject({ step: 'DUE', state: 'SCHEDULED', reached: ["Payments's Slack channel “#payments”"], reason: 'e-mail is not set up on this server', adminHint: 'Set SMTP_URL (and SMTP_FROM) and restart the worker.' });
  });

  it('while snoozed nothing is due; the next step comes when the snooze ends, the most advanced reached by then', () => {
    const views = escalationHistory(item({ snoozedUntil: at(9) }), rec('DUE_SOON'), [sent('DUE_SOON')], context(), at(2));
    expect(states(views)).toEqual([['DUE_SOON', 'SENT'], ['ESCALATED', 'SCHEDULED']]);
    expect(views[1].dueAt).toEqual(at(9));
  });

  it('a closed item and a published postmortem have no next step', () => {
    expect(escalationHistory(item({ status: 'DONE' }), rec('DUE_SOON'), [sent('DUE_SOON')], context(), at(2)).map((v) => v.state)).toEqual(['SENT']);
    expect(escalationHistory({ kind: 'POSTMORTEM', dueAt: DUE, status: 'PUBLISHED' }, [], [], context(), at(2))).toEqual([]);
  });

  it('the last step done: nothing scheduled', () => {
    const views = escalationHistory(item(), rec('DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED', 'LEADERSHIP'), [], context(), at(40));
    expect(views.map((v) => v.state)).not.toContain('SCHEDULED');
  });

  it('a postmortem without a due date has no ladder', () => {
    expect(escalationHistory({ kind: 'POSTMORTEM', dueAt: null, status: 'DRAFT' }, [], [], context(), at(2))).toEqual([]);
  });

  it('a postmortem with no team to escalate to says so once', () => {
    const pm: EscalationSubject = { kind: 'POSTMORTEM', dueAt: DUE, status: 'DRAFT' };
    expect(escalationHistory(pm, [], [], context({ teamName: null, hasManager: false, teamChannels: [] }), at(8)).find((v) => v.state === 'PENDING')).toMatchObject({
      step: 'ESCALATED',
      reached: ['the incident commander, by e-mail'],
      reason: 'due now: it goes out with the next chase run; no team is responsible for it: its commander is on no team and no affected service has one',
      adminPath: '/teams',
    });
  });

  it('a postmortem speaks of the commander; without one its team manager stands in', () => {
    const pm: EscalationSubject = { kind: 'POSTMORTEM', dueAt: DUE, status: 'DRAFT' };
    expect(escalationHistory(pm, [], [], context(), at(-10))[0].reached).toEqual(['the incident commander, by e-mail', "Payments's Slack channel “#payments”"]);
    expect(escalationHistory(pm, [], [], context({ hasOwner: false, hasManager: false, teamChannels: [] }), at(-10))[0]).toMatchObject({
      reached: [], reason: 'will reach nobody; the incident has no commander and Payments has no manager; Payments has no notification channel',
    });
  });
});
