import { Actor, canAdminister, canEditActionItem, canEditIncidents, canRead, hasAtLeast, isRole, Role, ROLES } from './roles.policy';

const actor = (role: Role, teamIds: string[] = []): Actor => ({ id: 'u', role, teamIds });

describe('role ordering', () => {
  it.each([
    ['VIEWER', 'VIEWER', true], ['VIEWER', 'COMMANDER', false], ['VIEWER', 'ADMIN', false],
    ['COMMANDER', 'VIEWER', true], ['COMMANDER', 'COMMANDER', true], ['COMMANDER', 'MANAGER', true], ['COMMANDER', 'ADMIN', false],
    ['MANAGER', 'COMMANDER', true], ['MANAGER', 'MANAGER', true], ['MANAGER', 'ADMIN', false],
    ['ADMIN', 'VIEWER', true], ['ADMIN', 'MANAGER', true], ['ADMIN', 'ADMIN', true],
  ] as const)('%s at least %s: %s', (role, min, expected) => {
    expect(hasAtLeast(role, min)).toBe(expected);
  });

  it('recognises exactly the four roles', () => {
    expect(ROLES.every(isRole)).toBe(true);
    expect(isRole('admin')).toBe(false);
    expect(isRole('OWNER')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

describe('editing rights (PRODUCT.md section 1)', () => {
  it('everyone reads', () => {
    for (const r of ROLES) expect(canRead(actor(r))).toBe(true);
  });

  it('only ADMIN administers', () => {
    expect(ROLES.filter((r) => canAdminister(actor(r)))).toEqual(['ADMIN']);
  });

  it('COMMANDER and above edit incidents and postmortems', () => {
    expect(ROLES.filter((r) => canEditIncidents(actor(r)))).toEqual(['COMMANDER', 'MANAGER', 'ADMIN']);
  });

  it('action items: commanders, admins, and the owning team', () => {
    expect(canEditActionItem(actor('COMMANDER'), 't1')).toBe(true);
    expect(canEditActionItem(actor('ADMIN'), 't1')).toBe(true);
    expect(canEditActionItem(actor('MANAGER', ['t1']), 't1')).toBe(true);
    expect(canEditActionItem(actor('MANAGER', ['t2']), 't1')).toBe(false);
    expect(canEditActionItem(actor('VIEWER', ['t1']), 't1')).toBe(false);
    expect(canEditActionItem(actor('VIEWER'), 't1')).toBe(false);
  });
});
