import { emailDomainAllowed, parseDomainList, parseRoleMap, roleFromClaim, safeReturnPath, SSO_ERRORS, ssoErrorMessage, ssoTabNonce } from './sso.rules';

describe('parseRoleMap', () => {
  it('reads group=ROLE pairs, trimming spaces and upper-casing the role', () => {
    expect(parseRoleMap(' sre-admins=ADMIN, eng-managers = manager ,oncall=COMMANDER,')).toEqual({
      mappings: [
        { value: 'sre-admins', role: 'ADMIN' },
        { value: 'eng-managers', role: 'MANAGER' },
        { value: 'oncall', role: 'COMMANDER' },
      ],
      problems: [],
    });
  });

  it('splits at the last "=", so LDAP-style group names work', () => {
    expect(parseRoleMap('cn=sre;ou=groups=ADMIN').mappings).toEqual([{ value: 'cn=sre;ou=groups', role: 'ADMIN' }]);
  });

  it('names every bad pair', () => {
    const { mappings, problems } = parseRoleMap('admins=ROOT,=ADMIN,oncall,ok=VIEWER');
    expect(mappings).toEqual([{ value: 'ok', role: 'VIEWER' }]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('"admins=ROOT"');
    expect(problems[0]).toContain('VIEWER, COMMANDER, MANAGER, ADMIN');
  });
});

describe('roleFromClaim', () => {
  const map = parseRoleMap('sre-admins=ADMIN,eng-managers=MANAGER,oncall=COMMANDER').mappings;

  it('gives the highest mapped role among the groups', () => {
    expect(roleFromClaim(['oncall', 'sre-admins', 'staff'], map)).toBe('ADMIN');
    expect(roleFromClaim(['oncall', 'eng-managers'], map)).toBe('MANAGER');
    expect(roleFromClaim(['oncall'], map)).toBe('COMMANDER');
  });

  it('is VIEWER for anyone else, a missing claim or a claim of another shape', () => {
    expect(roleFromClaim(['staff'], map)).toBe('VIEWER');
    expect(roleFromClaim(undefined, map)).toBe('VIEWER');
    expect(roleFromClaim({ 'sre-admins': true }, map)).toBe('VIEWER');
    expect(roleFromClaim([], [])).toBe('VIEWER');
  });

  it('accepts a single string (some providers send one role as a string)', () => {
    expect(roleFromClaim('oncall', map)).toBe('COMMANDER');
  });
});

describe('allowed domains', () => {
  it('parses a list, lower-cased, a leading @ forgiven, and names bad entries', () => {
    expect(parseDomainList('Example.com, @corp.example.org,')).toEqual({ domains: ['example.com', 'corp.example.org'], problems: [] });
    expect(parseDomainList('localhost,exa mple.com').problems).toHaveLength(2);
  });

  it('matches the exact domain of the address, not subdomains or look-alikes', () => {
    const domains = ['example.com'];
    expect(emailDomainAllowed('ana@Example.COM', domains)).toBe(true);
    expect(emailDomainAllowed('ana@evil-example.com', domains)).toBe(false);
    expect(emailDomainAllowed('ana@example.com.evil.io', domains)).toBe(false);
    expect(emailDomainAllowed('ana@sub.example.com', domains)).toBe(false);
    expect(emailDomainAllowed('example.com', domains)).toBe(false);
  });

  it('compares domains in their normalised form: Unicode names as IDNA ASCII, fullwidth letters as ASCII', () => {
    expect(parseDomainList('Bücher.example').domains).toEqual(['xn--bcher-kva.example']);
    expect(emailDomainAllowed('hans@BÜCHER.example', ['xn--bcher-kva.example'])).toBe(true);
    expect(emailDomainAllowed('ana@ｅｘａｍｐｌｅ．ｃｏｍ', ['example.com'])).toBe(true);
    expect(emailDomainAllowed('ana@exampIe.com', ['example.com'])).toBe(false);
  });

  it('allows every domain when none is listed', () => {
    expect(emailDomainAllowed('ana@anywhere.io', [])).toBe(true);
  });
});

describe('sign-in error codes', () => {
  it('have a message each, and unknown codes (a crafted link) get the generic one', () => {
    expect(ssoErrorMessage('domain-not-allowed')).toBe(SSO_ERRORS['domain-not-allowed']);
    expect(ssoErrorMessage('Call 555-0100 to unlock your account')).toBe(SSO_ERRORS.failed);
    expect(ssoErrorMessage('toString')).toBe(SSO_ERRORS.failed);
  });
});

describe('safeReturnPath', () => {
  it('keeps a path on this site', () => {
    expect(safeReturnPath('/incidents/INC-4?tab=timeline')).toBe('/incidents/INC-4?tab=timeline');
  });

  it('refuses anything that could leave the site', () => {
    for (const p of ['//evil.example', '/\\evil.example', 'https://evil.example', 'evil', '/a b', undefined, 7]) expect(safeReturnPath(p)).toBe('/');
  });
});

describe('ssoTabNonce', () => {
  it('keeps a base64url value of 22 to 64 characters and nothing else', () => {
    expect(ssoTabNonce('AbCdEfGhIjKlMnOpQrStUv')).toBe('AbCdEfGhIjKlMnOpQrStUv');
    expect(ssoTabNonce('a-_'.repeat(21) + 'z')).toBe('a-_'.repeat(21) + 'z');
    for (const bad of ['short', 'x'.repeat(65), 'has space in it 0123456789', '<script>alert(1)</script>', 'plus+slash/0123456789abcd', null, undefined, 42]) expect(ssoTabNonce(bad)).toBeNull();
  });
});
