import { decideInbound, desiredTrackerState, LinkedItemSnapshot, normaliseExternalKey, retryDelayMs, trackerDueDate, trackerPriority, upstreamCompletionNote } from './tracker.rules';

const t = (iso: string) => new Date(iso);
const item = (over: Partial<LinkedItemSnapshot> = {}): LinkedItemSnapshot => ({
  status: 'OPEN', priority: 'P2', dueAt: t('2026-12-10T12:00:00Z'), linkState: 'OPEN',
  remoteUpdatedAt: t('2026-12-01T00:00:00Z'), awaitingVerification: false, pushedDueDate: '2026-12-10', ...over,
});
const closed = { state: 'CLOSED' as const, updatedAt: t('2026-12-02T00:00:00Z'), actor: 'octocat' };

describe('decideInbound', () => {
  it('completes a P2 item closed upstream', () => {
    expect(decideInbound(item(), closed)).toEqual({ kind: 'apply', linkState: 'CLOSED', item: 'complete', proposedDueDate: undefined });
  });
  it('keeps a P0/P1 item open, awaiting verification', () => {
    expect(decideInbound(item({ priority: 'P1' }), closed)).toMatchObject({ item: 'await-verification', linkState: 'CLOSED' });
    expect(decideInbound(item({ priority: 'P1', linkState: 'CLOSED', awaitingVerification: true, remoteUpdatedAt: null }), closed)).toEqual({ kind: 'ignore', why: 'unchanged' });
  });
  it('drops replayed and out-of-order observations', () => {
    expect(decideInbound(item({ remoteUpdatedAt: closed.updatedAt, linkState: 'CLOSED', status: 'DONE' }), closed)).toEqual({ kind: 'ignore', why: 'stale' });
    expect(decideInbound(item({ remoteUpdatedAt: t('2026-12-03T00:00:00Z') }), closed)).toEqual({ kind: 'ignore', why: 'stale' });
  });
  it('takes another state seen at the same time as the newest one (one-second timestamps)', () => {
    // Our push recorded OPEN at 12:00:07; someone closed the issue within that second.
    const pushed = t('2026-12-02T12:00:07Z');
    expect(decideInbound(item({ remoteUpdatedAt: pushed }), { ...closed, updatedAt: pushed })).toEqual({ kind: 'apply', linkState: 'CLOSED', item: 'complete', proposedDueDate: undefined });
    expect(decideInbound(item({ remoteUpdatedAt: pushed }), { ...closed, state: 'OPEN', updatedAt: pushed })).toEqual({ kind: 'ignore', why: 'stale' });
  });
  it('changes nothing for our own push echoed back', () => {
    expect(decideInbound(item({ status: 'DONE', linkState: 'CLOSED' }), closed)).toEqual({ kind: 'ignore', why: 'unchanged' });
    expect(decideInbound(item({ status: 'WONT_DO', linkState: 'CLOSED' }), closed)).toEqual({ kind: 'ignore', why: 'unchanged' });
  });
  it('reopens a DONE item reopened upstream, not a WONT_DO one', () => {
    const open = { ...closed, state: 'OPEN' as const };
    expect(decideInbound(item({ status: 'DONE', linkState: 'CLOSED' }), open)).toMatchObject({ item: 'reopen', linkState: 'OPEN' });
    expect(decideInbound(item({ status: 'WONT_DO', linkState: 'CLOSED' }), open)).toMatchObject({ item: null, linkState: 'OPEN' });
    expect(decideInbound(item({ priority: 'P0', linkState: 'CLOSED', awaitingVerification: true }), open)).toMatchObject({ item: 'clear-verification' });
  });
  it('proposes an upstream due date, ignores ours echoed back', () => {
    const open = { state: 'OPEN' as const, updatedAt: closed.updatedAt, actor: null };
    expect(decideInbound(item(), { ...open, dueDate: '2026-12-20' })).toMatchObject({ item: null, proposedDueDate: '2026-12-20' });
    expect(decideInbound(item(), { ...open, dueDate: '2026-12-10' })).toEqual({ kind: 'ignore', why: 'unchanged' });
    expect(decideInbound(item({ dueAt: t('2026-12-12T00:00:00Z') }), { ...open, dueDate: '2026-12-10' })).toEqual({ kind: 'ignore', why: 'unchanged' });
  });
});

describe('mapping rules', () => {
  it('maps priorities per tracker', () => {
    expect(trackerPriority('JIRA', 'P0')).toBe('Highest');
    expect(trackerPriority('JIRA', 'P3')).toBe('Low');
    expect(trackerPriority('GITHUB', 'P1')).toBe('priority:P1');
  });
  it('desired state follows the item and a pending verification', () => {
    expect(desiredTrackerState('DONE', false)).toBe('CLOSED');
    expect(desiredTrackerState('OPEN', true)).toBe('CLOSED');
    expect(desiredTrackerState('BLOCKED', false)).toBe('OPEN');
  });
  it('normalises keys', () => {
    expect(normaliseExternalKey('JIRA', ' ops-12 ')).toBe('OPS-12');
    expect(normaliseExternalKey('JIRA', '12')).toBeNull();
    expect(normaliseExternalKey('LINEAR', 'eng-7')).toBe('ENG-7');
    expect(normaliseExternalKey('GITHUB', '#042')).toBe('42');
    expect(normaliseExternalKey('GITLAB', 'x')).toBeNull();
    expect(normaliseExternalKey('GITLAB', '0')).toBeNull();
  });
  it('formats due dates and notes', () => {
    expect(trackerDueDate(t('2026-12-10T23:59:00Z'))).toBe('2026-12-10');
    expect(upstreamCompletionNote('acme/api#7', 'octocat')).toBe('Closed upstream in acme/api#7 by octocat.');
    expect(upstreamCompletionNote('OPS-1', null)).toBe('Closed upstream in OPS-1.');
  });
  it('honours Retry-After in seconds or as a date, else backs off', () => {
    const now = t('2026-12-01T00:00:00Z');
    expect(retryDelayMs('3', 0, now)).toBe(3000);
    expect(retryDelayMs('Tue, 01 Dec 2026 00:00:05 GMT', 0, now)).toBe(5000);
    expect(retryDelayMs(null, 3, now)).toBe(16000);
    expect(retryDelayMs('99999', 0, now)).toBe(600000);
  });
});
