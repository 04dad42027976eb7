import { validateActionItemInput } from './action-item.validation';

const fields = (errors: { field: string }[]): string[] => errors.map((e) => e.field);

describe('validateActionItemInput', () => {
  const ok = { title: 'Alert on cache hit ratio', kind: 'DETECT', priority: 'P1', ownerTeamId: 't1', externalUrl: 'https://jira.example.com/OPS-1', reach: 100, impact: 2, confidence: 0.5, effortDays: 3 };

  it('accepts a complete create; dueAt is optional', () => {
    expect(validateActionItemInput(ok, 'create')).toEqual([]);
    expect(validateActionItemInput({ ...ok, dueAt: new Date('2024-06-01T00:00:00Z') }, 'create')).toEqual([]);
  });

  it('create needs title, kind, priority and an owning team', () => {
    expect(fields(validateActionItemInput({}, 'create'))).toEqual(['input.title', 'input.kind', 'input.priority', 'input.ownerTeamId']);
  });

  it('update checks only what is present; an owning team cannot be removed', () => {
    expect(validateActionItemInput({ description: 'more' }, 'update')).toEqual([]);
    expect(validateActionItemInput({ externalUrl: null, description: null }, 'update')).toEqual([]);
    expect(fields(validateActionItemInput({ ownerTeamId: null, title: null }, 'update'))).toEqual(['input.title', 'input.ownerTeamId']);
  });

  it('checks enums, URL, date and RICE', () => {
    expect(
      fields(validateActionItemInput({ ...ok, kind: 'FIX', priority: 'P4', status: 'CLOSED', externalUrl: 'jira/OPS-1', dueAt: new Date('x'), impact: 5 }, 'create')),
    ).toEqual(['input.kind', 'input.priority', 'input.status', 'input.dueAt', 'input.externalUrl', 'input.impact']);
  });
});
