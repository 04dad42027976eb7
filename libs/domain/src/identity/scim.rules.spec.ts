import { applyScimUserPatch, parseScimFilter, scimBoolean, scimGroupPatchPlan, scimPage, scimPatchOps, ScimRuleError, scimUserFromResource, ScimUserState } from './scim.rules';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ada: ScimUserState = { userName: 'ada@example.com', name: 'Ada Lovelace', email: 'ada@example.com', active: true, externalId: 'okta-1' };
const scimTypeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof ScimRuleError ? e.scimType : 'other';
  }
  return undefined;
};

describe('parseScimFilter', () => {
  it('reads eq filters on allowed attributes, in any case, with escaped quotes', () => {
    expect(parseScimFilter('userName eq "ada@example.com"', ['userName', 'externalId'])).toEqual({ attribute: 'userName', value: 'ada@example.com' });
    expect(parseScimFilter('EXTERNALID EQ "a\\"b"', ['userName', 'externalId'])).toEqual({ attribute: 'externalId', value: 'a"b' });
  });
  it.each(['userName co "ada"', 'title eq "x"', 'userName eq ada', 'userName eq "a" and active eq true', ''])('refuses %j as invalidFilter', (f) => {
    expect(scimTypeOf(() => parseScimFilter(f, ['userName', 'externalId']))).toBe('invalidFilter');
  });
});

describe('scimPage', () => {
  it('is 1-based, caps count, treats junk as the defaults', () => {
    expect(scimPage(undefined, undefined, 100)).toEqual({ offset: 0, limit: 100 });
    expect(scimPage('11', '5', 100)).toEqual({ offset: 10, limit: 5 });
    expect(scimPage('0', '5000', 100)).toEqual({ offset: 0, limit: 100 });
    expect(scimPage('x', '-3', 100)).toEqual({ offset: 0, limit: 0 });
  });
});

describe('scimBoolean', () => {
  it('accepts booleans and Entra\'s "True"/"False"', () => {
    expect([true, false, 'True', 'False', 'true', ' FALSE '].map((v) => scimBoolean(v, 'active'))).toEqual([true, false, true, false, true, false]);
    expect(scimTypeOf(() => scimBoolean('yes', 'active'))).toBe('invalidValue');
  });
});

describe('scimUserFromResource', () => {
  it('maps an Okta create body (userName is the e-mail, name parts joined)', () => {
    const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'grace@example.com', name: { givenName: 'Grace', familyName: 'Hopper' }, emails: [{ primary: true, value: 'grace@example.com', type: 'work' }], displayName: 'Grace Hopper', locale: 'en-US', externalId: '00u1', groups: [], password: 'x', active: true };
    expect(scimUserFromResource(body)).toEqual({ userName: 'grace@example.com', name: 'Grace Hopper', email: 'grace@example.com', active: true, externalId: '00u1' });
  });
  it('uses the work e-mail when userName is not an address (Entra UPN-like ids)', () => {
    const body = { userName: 'grace', active: 'True', emails: [{ type: 'other', value: 'g@home.example' }, { type: 'work', value: 'grace@example.com' }], name: { formatted: 'Grace B. Hopper' } };
    expect(scimUserFromResource(body)).toMatchObject({ userName: 'grace', email: 'grace@example.com', name: 'Grace B. Hopper', active: true, externalId: null });
  });
  it('needs a userName', () => {
    expect(scimTypeOf(() => scimUserFromResource({ emails: [{ value: 'a@b.example' }] }))).toBe('invalidValue');
  });
});

describe('applyScimUserPatch', () => {
  it("Okta's deactivation: replace without a path, { active: false }", () => {
    const body = { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] };
    expect(applyScimUserPatch(ada, scimPatchOps(body))).toEqual({ ...ada, active: false });
  });
  it("Entra's deactivation: Replace, path active, value \"False\"", () => {
    const body = { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
    expect(applyScimUserPatch(ada, scimPatchOps(body)).active).toBe(false);
  });
  it("Entra's attribute updates: name parts, the work e-mail, displayName, externalId; unknown attributes ignored", () => {
    const body = {
      schemas: [PATCH],
      Operations: [
        { op: 'Add', path: 'name.givenName', value: 'Augusta' },
        { op: 'Replace', path: 'name.familyName', value: 'King' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'augusta@example.com' },
        { op: 'Add', path: 'title', value: 'Engineer' },
        { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Platform' },
        { op: 'Replace', path: 'externalId', value: 'entra-9' },
      ],
    };
    expect(applyScimUserPatch(ada, scimPatchOps(body))).toEqual({ userName: 'ada@example.com', name: 'Augusta King', email: 'augusta@example.com', active: true, externalId: 'entra-9' });
    const renamed = applyScimUserPatch(ada, scimPatchOps({ Operations: [{ op: 'replace', path: 'displayName', value: 'Ada King' }] }));
    expect(renamed.name).toBe('Ada King');
  });
  it('a new e-mail userName also changes the sign-in address', () => {
    expect(applyScimUserPatch(ada, scimPatchOps({ Operations: [{ op: 'replace', path: 'userName', value: 'ada.king@example.com' }] }))).toMatchObject({ userName: 'ada.king@example.com', email: 'ada.king@example.com' });
  });
  it('Okta replace with a whole object (name, active, emails)', () => {
    const body = { Operations: [{ op: 'replace', value: { id: 'x', name: { givenName: 'Ada', familyName: 'Byron' }, active: 'true', emails: [{ value: 'byron@example.com', primary: true }] } }] };
    expect(applyScimUserPatch({ ...ada, active: false }, scimPatchOps(body))).toMatchObject({ name: 'Ada Byron', active: true, email: 'byron@example.com' });
  });
  it.each([
    [{ Operations: [{ op: 'jump', path: 'active', value: false }] }, 'invalidSyntax'],
    [{ Operations: [] }, 'invalidSyntax'],
    [{}, 'invalidSyntax'],
    [{ Operations: [{ op: 'remove' }] }, 'noTarget'],
    [{ Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] }, 'invalidValue'],
    [{ Operations: [{ op: 'remove', path: 'userName' }] }, 'mutability'],
  ])('refuses %j as %s', (body, type) => {
    expect(scimTypeOf(() => applyScimUserPatch(ada, scimPatchOps(body)))).toBe(type);
  });
});

describe('scimGroupPatchPlan', () => {
  it("Entra's member add and remove (path members, value list)", () => {
    const body = { schemas: [PATCH], Operations: [{ op: 'Add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }, { op: 'Remove', path: 'members', value: [{ value: 'u3' }] }] };
    expect(scimGroupPatchPlan(scimPatchOps(body))).toEqual({ addMembers: ['u1', 'u2'], removeMembers: ['u3'] });
  });
  it("Okta's member remove by filter path and rename without a path", () => {
    const body = { Operations: [{ op: 'remove', path: 'members[value eq "u9"]' }, { op: 'replace', value: { id: 'g', displayName: 'SRE' } }] };
    expect(scimGroupPatchPlan(scimPatchOps(body))).toEqual({ addMembers: [], removeMembers: ['u9'], displayName: 'SRE' });
  });
  it('replace members sets the whole list; later adds apply on top', () => {
    const body = { Operations: [{ op: 'add', path: 'members', value: [{ value: 'a' }] }, { op: 'replace', path: 'members', value: [{ value: 'b' }] }, { op: 'add', path: 'members', value: [{ value: 'c' }] }] };
    expect(scimGroupPatchPlan(scimPatchOps(body))).toEqual({ replaceMembers: ['b'], addMembers: ['c'], removeMembers: [] });
  });
  it('refuses unknown paths and members without ids', () => {
    expect(scimTypeOf(() => scimGroupPatchPlan(scimPatchOps({ Operations: [{ op: 'add', path: 'owners', value: [] }] })))).toBe('invalidPath');
    expect(scimTypeOf(() => scimGroupPatchPlan(scimPatchOps({ Operations: [{ op: 'add', path: 'members', value: [{ display: 'x' }] }] })))).toBe('invalidValue');
  });
});
