import {
  charCount,
  checkDate,
  checkEmail,
  checkEnum,
  checkHttpUrl,
  httpUrlOrNull,
  checkName,
  checkNumber,
  checkRequired,
  checkText,
  checkTitle,
  collectErrors,
  isBlank,
  TEXT_MAX_BYTES,
  TITLE_MAX_CHARS,
  utf8ByteLength,
} from './fields.validation';

describe('blank and required', () => {
  it.each([
    [undefined, true],
    [null, true],
    ['', true],
    ['  \n\t', true],
    ['x', false],
    [0, false],
  ])('isBlank(%j) = %s', (v, expected) => {
    expect(isBlank(v)).toBe(expected);
  });

  it('required reports missing and blank differently', () => {
    expect(checkRequired('input.title', undefined)).toEqual({ field: 'input.title', reason: 'is required' });
    expect(checkRequired('input.title', null)).toEqual({ field: 'input.title', reason: 'is required' });
    expect(checkRequired('input.title', '   ')).toEqual({ field: 'input.title', reason: 'must not be blank' });
    expect(checkRequired('input.title', 'ok')).toBeNull();
    expect(checkRequired('input.n', 0)).toBeNull();
  });
});

describe('lengths', () => {
  it('counts characters as code points', () => {
    expect(charCount('abc')).toBe(3);
    expect(charCount('é')).toBe(1);
    expect(charCount('🔥')).toBe(1);
    expect('🔥'.length).toBe(2);
  });

  it.each([
    ['a', 1],
    ['é', 2],
    ['€', 3],
    ['🔥', 4],
    ['\ud800', 3],
    ['', 0],
  ])('UTF-8 length of %j is %d', (s, n) => {
    expect(utf8ByteLength(s)).toBe(n);
  });

  it('titles: required, non-blank, at most 200 characters (boundary)', () => {
    expect(checkTitle('input.title', 'x'.repeat(TITLE_MAX_CHARS))).toBeNull();
    expect(checkTitle('input.title', 'x'.repeat(TITLE_MAX_CHARS + 1))).toEqual({ field: 'input.title', reason: 'must be at most 200 characters (got 201)' });
    expect(checkTitle('input.title', '🔥'.repeat(200))).toBeNull();
    expect(checkTitle('input.title', undefined)?.reason).toBe('is required');
    expect(checkTitle('input.title', ' ')?.reason).toBe('must not be blank');
    expect(checkTitle('input.title', undefined, { required: false })).toBeNull();
    expect(checkTitle('input.title', '  ', { required: false })?.reason).toBe('must not be blank');
    expect(checkTitle('input.title', 42)?.reason).toBe('must be text');
  });

  it('text: at most 102400 bytes of UTF-8 (boundary), multi-byte characters count fully', () => {
    expect(checkText('input.summary', 'a'.repeat(TEXT_MAX_BYTES))).toBeNull();
    expect(checkText('input.summary', 'a'.repeat(TEXT_MAX_BYTES + 1))?.reason).toBe('must be at most 100 kB (102400 bytes of UTF-8; got 102401)');
    // 34134 × '€' = 102402 bytes but only 34134 UTF-16 units.
    expect(checkText('input.summary', '€'.repeat(34134))?.field).toBe('input.summary');
    expect(checkText('input.summary', '€'.repeat(34133))).toBeNull();
    expect(checkText('input.summary', '')).toBeNull();
    expect(checkText('input.summary', null)).toBeNull();
    expect(checkText('input.summary', undefined, { required: true })?.reason).toBe('is required');
    expect(checkText('input.summary', 5)?.reason).toBe('must be text');
  });

  it('names: at most 100 characters by default, configurable', () => {
    expect(checkName('input.name', 'n'.repeat(100))).toBeNull();
    expect(checkName('input.name', 'n'.repeat(101))?.reason).toBe('must be at most 100 characters (got 101)');
    expect(checkName('input.name', 'abcd', { max: 3 })?.reason).toContain('at most 3');
    expect(checkName('input.name', null, { required: false })).toBeNull();
    expect(checkName('input.name', '')?.reason).toBe('must not be blank');
  });
});

describe('URLs', () => {
  it.each([
    'https://grafana.example.com/d/abc?from=now-1h',
    'http://localhost:3000/x',
    'https://10.0.0.1/logs#L10',
    'https://bücher.example/über?q=ä',
    'https://ok.example/a>)[x](javascript:alert(1))',
    'https://hooks.slack.com/services/T0/B0/abc',
    `https://e.com/${'a'.repeat(2048 - 'https://e.com/'.length)}`,
  ])('accepts %s', (url) => {
    expect(checkHttpUrl('input.evidenceUrl', url)).toBeNull();
  });

  it.each([
    ['javascript:', 'javascript:alert(1)', 'must start with http:// or https://'],
    ['JavaScript: in capitals', 'JaVaScRiPt:alert(1)', 'must start with http:// or https://'],
    ['data:', 'data:text/html,<script>alert(1)</script>', 'must start with http:// or https://'],
    ['ftp:', 'ftp://example.com/file', 'must start with http:// or https://'],
    ['file:', 'file:///etc/passwd', 'must start with http:// or https://'],
    ['a bare host', 'example.com', 'must be an absolute http:// or https:// URL'],
    ['a relative path', '/relative/path', 'must be an absolute http:// or https:// URL'],
    ['no host', 'https://', 'must be an absolute http:// or https:// URL'],
    ['empty', '', 'must be an absolute http:// or https:// URL'],
    ['a space', 'https://exa mple.com', 'with no spaces, line breaks or control characters (found U+0020 at position 12)'],
    ['a leading space', ' https://example.com', 'with no spaces'],
    ['a newline', 'https://ok.example/a\n[x](javascript:alert(1))', 'with no spaces, line breaks or control characters (found U+000A at position 21)'],
    ['a carriage return', 'https://ok.example/\r', 'found U+000D'],
    ['a tab', 'https://ok.example/\tx', 'found U+0009'],
    ['a NUL', 'https://ok.example/\u0000', 'found U+0000'],
    ['DEL', 'https://ok.example/\u007f', 'found U+007F'],
    ['a C1 control', 'https://ok.example/\u0085', 'found U+0085'],
    ['a no-break space', 'https://ok.example/\u00a0', 'found U+00A0'],
    ['a zero-width space', 'https://ok.example/\u200b', 'found U+200B'],
    ['a right-to-left override', 'https://ok.example/\u202egpj.exe', 'found U+202E'],
    ['a line separator', 'https://ok.example/\u2028', 'found U+2028'],
    ['a backslash', 'https://evil.example\\@ok.example/', 'must not contain a backslash'],
    ['a user name', 'https://ok.example@evil.example/', 'must not contain a user name or password'],
    ['a password', 'https://user:secret@ok.example/', 'must not contain a user name or password'],
    ['over-long', `https://e.com/${'a'.repeat(2100)}`, 'must be at most 2048 characters (got 2114)'],
    ['not text', 42, 'must be text'],
  ])('refuses %s with a reason', (_what, url, reason) => {
    expect(checkHttpUrl('input.evidenceUrl', url)).toEqual({ field: 'input.evidenceUrl', reason: expect.stringContaining(reason) });
  });

  it('optional unless required', () => {
    expect(checkHttpUrl('input.externalUrl', undefined)).toBeNull();
    expect(checkHttpUrl('input.externalUrl', null)).toBeNull();
    expect(checkHttpUrl('input.target', undefined, { required: true })?.reason).toBe('is required');
  });

  it('httpUrlOrNull keeps a good link and drops anything else', () => {
    expect(httpUrlOrNull('https://github.com/acme/api/issues/7')).toBe('https://github.com/acme/api/issues/7');
    expect(httpUrlOrNull('javascript:alert(1)')).toBeNull();
    expect(httpUrlOrNull('https://ok.example/\n')).toBeNull();
    expect(httpUrlOrNull(undefined)).toBeNull();
  });
});

describe('emails', () => {
  it.each(['alice@example.com', 'a.b+tag@sub.example.co.uk', 'ALICE@EXAMPLE.COM'])('accepts %s', (e) => {
    expect(checkEmail('input.email', e)).toBeNull();
  });

  it.each(['alice', 'alice@', '@example.com', 'alice@example', 'al ice@example.com', 'a@@example.com', 'alice@example..com', 'alice@.example.com'])('refuses %s', (e) => {
    expect(checkEmail('input.email', e)?.reason).toBe('must be an email address like name@example.com');
  });

  it('required by default', () => {
    expect(checkEmail('input.email', undefined)?.reason).toBe('is required');
    expect(checkEmail('input.email', undefined, { required: false })).toBeNull();
    expect(checkEmail('input.email', `${'a'.repeat(250)}@example.com`)?.reason).toContain('at most 254');
  });
});

describe('numbers', () => {
  it('checks ranges inclusively by default', () => {
    const r = { min: 0.25, max: 3 };
    expect(checkNumber('input.impact', 0.25, r)).toBeNull();
    expect(checkNumber('input.impact', 3, r)).toBeNull();
    expect(checkNumber('input.impact', 0.24, r)).toEqual({ field: 'input.impact', reason: 'must be between 0.25 and 3 (got 0.24)' });
    expect(checkNumber('input.impact', 3.01, r)?.reason).toBe('must be between 0.25 and 3 (got 3.01)');
  });

  it('supports exclusive bounds, one-sided ranges and whole numbers', () => {
    expect(checkNumber('input.effortDays', 0, { min: 0, minExclusive: true })?.reason).toBe('must be greater than 0 (got 0)');
    expect(checkNumber('input.effortDays', 0.001, { min: 0, minExclusive: true })).toBeNull();
    expect(checkNumber('x', 5, { max: 5, maxExclusive: true })?.reason).toBe('must be less than 5 (got 5)');
    expect(checkNumber('x', -1, { min: 0 })?.reason).toBe('must be at least 0 (got -1)');
    expect(checkNumber('x', 11, { max: 10 })?.reason).toBe('must be at most 10 (got 11)');
    expect(checkNumber('x', 1, { min: 0, minExclusive: true, max: 2 })).toBeNull();
    expect(checkNumber('x', 3, { min: 0, minExclusive: true, max: 2 })?.reason).toBe('must be greater than 0 and at most 2 (got 3)');
    expect(checkNumber('input.tier', 1.5, { integer: true })?.reason).toBe('must be a whole number (got 1.5)');
  });

  it('refuses non-finite values and passes absent optional ones', () => {
    expect(checkNumber('x', Number.NaN)?.reason).toBe('must be a finite number');
    expect(checkNumber('x', Infinity)?.reason).toBe('must be a finite number');
    expect(checkNumber('x', '3')?.reason).toBe('must be a finite number');
    expect(checkNumber('x', undefined)).toBeNull();
    expect(checkNumber('x', null)).toBeNull();
    expect(checkNumber('x', undefined, { required: true })?.reason).toBe('is required');
  });
});

describe('enums and dates', () => {
  it('lists the allowed values', () => {
    expect(checkEnum('input.severity', ['SEV1', 'SEV2'], 'SEV9')).toEqual({ field: 'input.severity', reason: 'must be one of SEV1, SEV2 (got "SEV9")' });
    expect(checkEnum('input.severity', ['SEV1', 'SEV2'], 'SEV1')).toBeNull();
    expect(checkEnum('input.severity', ['SEV1'], undefined)?.reason).toBe('is required');
    expect(checkEnum('input.status', ['OPEN'], undefined, { required: false })).toBeNull();
  });

  it('refuses invalid dates', () => {
    expect(checkDate('input.startedAt', new Date('2024-01-01T00:00:00Z'))).toBeNull();
    expect(checkDate('input.startedAt', new Date('garbage'))?.reason).toContain('valid date-time');
    expect(checkDate('input.startedAt', '2024-01-01')?.reason).toContain('valid date-time');
    expect(checkDate('input.startedAt', undefined)?.reason).toBe('is required');
    expect(checkDate('input.resolvedAt', null, { required: false })).toBeNull();
  });
});

describe('collectErrors', () => {
  it('flattens singles and lists, dropping nulls', () => {
    const a = { field: 'a', reason: 'x' };
    const b = { field: 'b', reason: 'y' };
    const c = { field: 'c', reason: 'z' };
    expect(collectErrors(null, a, undefined, [b, c], [])).toEqual([a, b, c]);
    expect(collectErrors()).toEqual([]);
  });
});
