import { emailDomain, normaliseEmail } from './email.rules';

describe('normaliseEmail: one spelling per person', () => {
  it.each([
    // already normal: unchanged
    ['alice@example.com', 'alice@example.com'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
    // mixed case and surrounding spaces
    ['  Alice@Example.COM ', 'alice@example.com'],
    ['ALICE@EXAMPLE.COM', 'alice@example.com'],
    // U+0130 (capital I with dot above) lower-cases to i + U+0307, which is NOT the letter i
    ['victİm@example.com', 'victi\u0307m@example.com'],
    ['VİCTİM@EXAMPLE.COM', 'vi\u0307cti\u0307m@example.com'],
    // ß stays ß (lower case, not case folding); capital ẞ becomes ß
    ['straße@example.com', 'straße@example.com'],
    ['STRAẞE@example.com', 'straße@example.com'],
    // fullwidth letters, at sign and full stop (NFKC)
    ['ＡＬＩＣＥ＠ＥＸＡＭＰＬＥ．ＣＯＭ', 'alice@example.com'],
    ['ａｌｉｃｅ@example.com', 'alice@example.com'],
    // ligatures and other compatibility characters (NFKC)
    ['ﬁnn@example.com', 'finn@example.com'],
    // Unicode domains in their IDNA ASCII form, whatever their case or full stops
    ['hans@bücher.example', 'hans@xn--bcher-kva.example'],
    ['hans@BÜCHER.example', 'hans@xn--bcher-kva.example'],
    ['hans@xn--bcher-kva.example', 'hans@xn--bcher-kva.example'],
    ['user@例え.テスト', 'user@xn--r8jz45g.xn--zckzah'],
    ['user@example。com', 'user@example.com'],
    ['user@straße.de', 'user@xn--strae-oqa.de'],
    // the local part keeps its (lower-cased) Unicode: only the domain has an ASCII form
    ['Ünal@example.com', 'ünal@example.com'],
    // the last @ separates local part and domain
    ['"odd@local"@example.com', '"odd@local"@example.com'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it('two spellings of one address normalise alike; look-alikes do not', () => {
    expect(normaliseEmail('Alice@Example.com')).toBe(normaliseEmail('ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ'));
    expect(normaliseEmail('victİm@example.com')).not.toBe(normaliseEmail('victim@example.com'));
    expect(normaliseEmail('strasse@example.com')).not.toBe(normaliseEmail('straße@example.com'));
  });

  it.each([[''], ['   '], ['no-at-sign'], ['@example.com'], ['alice@'], ['alice@exa mple.com'], ['alice@bü/cher.example'], ['alice@[::1]'], ['alice@bü%41.example'], ['alice@bü:80.example']])(
    'refuses %j (no local@domain shape, or a domain that is no host name)',
    (input) => {
      expect(normaliseEmail(input)).toBeNull();
    },
  );

  it('is idempotent on every character of the Basic Multilingual Plane', () => {
    const broken: string[] = [];
    for (let cp = 0x20; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const once = normaliseEmail(`a${String.fromCharCode(cp)}b@example.com`);
      if (once !== null && normaliseEmail(once) !== once) broken.push(cp.toString(16));
    }
    expect(broken).toEqual([]);
  });

  it('emailDomain is the text after the last @', () => {
    expect(emailDomain('a@b@example.com')).toBe('example.com');
  });
});
