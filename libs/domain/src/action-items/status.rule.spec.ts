import { ACTION_STATUSES, ActionStatus } from '../enums/contract.enums';
import { completedAtAfter, isClosedStatus, isOpenStatus, needsVerification, validateStatusChange } from './status.rule';

const fields = (errors: { field: string }[]): string[] => errors.map((e) => e.field);

describe('status classes', () => {
  it('open: OPEN, IN_PROGRESS, BLOCKED; closed: DONE, WONT_DO', () => {
    expect(ACTION_STATUSES.filter(isOpenStatus)).toEqual(['OPEN', 'IN_PROGRESS', 'BLOCKED']);
    expect(ACTION_STATUSES.filter(isClosedStatus)).toEqual(['DONE', 'WONT_DO']);
  });
  it('P0 and P1 need a verification', () => {
    expect((['P0', 'P1', 'P2', 'P3'] as const).map(needsVerification)).toEqual([true, true, false, false]);
  });
});

describe('validateStatusChange', () => {
  const open: ActionStatus[] = ['OPEN', 'IN_PROGRESS', 'BLOCKED'];

  it('moves freely between open statuses, and staying put is a no-op', () => {
    for (const from of open) for (const to of open) expect(validateStatusChange({ from, to, priority: 'P0' })).toEqual([]);
    expect(validateStatusChange({ from: 'DONE', to: 'DONE', priority: 'P0' })).toEqual([]);
  });

  it('DONE needs a non-blank completion note', () => {
    expect(fields(validateStatusChange({ from: 'OPEN', to: 'DONE', priority: 'P2' }))).toEqual(['note']);
    expect(fields(validateStatusChange({ from: 'OPEN', to: 'DONE', priority: 'P2', completionNote: '   ' }))).toEqual(['note']);
    expect(validateStatusChange({ from: 'OPEN', to: 'DONE', priority: 'P2', completionNote: 'added alert' })).toEqual([]);
  });

  it.each(['P0', 'P1'] as const)('%s DONE also needs a verification', (priority) => {
    expect(fields(validateStatusChange({ from: 'IN_PROGRESS', to: 'DONE', priority, completionNote: 'fixed' }))).toEqual(['verification']);
    expect(fields(validateStatusChange({ from: 'IN_PROGRESS', to: 'DONE', priority, completionNote: 'fixed', verification: ' ' }))).toEqual(['verification']);
    expect(fields(validateStatusChange({ from: 'IN_PROGRESS', to: 'DONE', priority }))).toEqual(['note', 'verification']);
    expect(validateStatusChange({ from: 'IN_PROGRESS', to: 'DONE', priority, completionNote: 'fixed', verification: 'game day passed' })).toEqual([]);
  });

  it.each(['P2', 'P3'] as const)('%s DONE needs no verification', (priority) => {
    expect(validateStatusChange({ from: 'OPEN', to: 'DONE', priority, completionNote: 'fixed' })).toEqual([]);
  });

  it('WONT_DO needs a reason', () => {
    expect(fields(validateStatusChange({ from: 'OPEN', to: 'WONT_DO', priority: 'P3' }))).toEqual(['reason']);
    expect(validateStatusChange({ from: 'BLOCKED', to: 'WONT_DO', priority: 'P0', reason: 'service decommissioned' })).toEqual([]);
  });

  it('a closed item reopens freely but cannot jump to the other closed status', () => {
    for (const from of ['DONE', 'WONT_DO'] as const) for (const to of open) expect(validateStatusChange({ from, to, priority: 'P1' })).toEqual([]);
    const e = validateStatusChange({ from: 'DONE', to: 'WONT_DO', priority: 'P2', reason: 'x' });
    expect(e).toEqual([{ field: 'input.status', reason: expect.stringContaining('reopen') }]);
    expect(fields(validateStatusChange({ from: 'WONT_DO', to: 'DONE', priority: 'P2', completionNote: 'did it anyway' }))).toEqual(['input.status']);
  });

  it('field names can follow the calling mutation', () => {
    const e = validateStatusChange({ from: 'OPEN', to: 'DONE', priority: 'P0' }, { status: 'input.status', completionNote: 'input.completionNote', verification: 'input.verification', reason: 'input.reason' });
    expect(fields(e)).toEqual(['input.completionNote', 'input.verification']);
  });
});

describe('completedAtAfter', () => {
  const now = new Date('2024-05-01T10:00:00Z');
  const earlier = new Date('2024-04-01T10:00:00Z');
  it('stamps on closing, clears on reopening, else keeps', () => {
    expect(completedAtAfter('OPEN', 'DONE', null, now)).toBe(now);
    expect(completedAtAfter('BLOCKED', 'WONT_DO', null, now)).toBe(now);
    expect(completedAtAfter('DONE', 'OPEN', earlier, now)).toBeNull();
    expect(completedAtAfter('OPEN', 'IN_PROGRESS', null, now)).toBeNull();
    expect(completedAtAfter('DONE', 'DONE', earlier, now)).toBe(earlier);
  });
});
