import { markdownCode, markdownLink, markdownText } from './markdown.escape';

describe('markdownText', () => {
  it('escapes what starts markup inside a line, and keeps ordinary text readable', () => {
    expect(markdownText('[x](javascript:alert(1)) <img src=x onerror=alert(1)> **b** `c` ~~s~~ a|b ![i](u) \\')).toBe(
      '\\[x\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\> \\*\\*b\\*\\* \\`c\\` \\~\\~s\\~\\~ a\\|b \\!\\[i\\](u) \\\\',
    );
    expect(markdownText('AT&T: 5 % of INC-12 (EU), &lt; and &#60;')).toBe('AT&T: 5 % of INC-12 (EU), \\&lt; and \\&#60;');
  });

  it('flattens line breaks to one space', () => {
    expect(markdownText('  Error rate\r\n  above 5 %\n')).toBe('Error rate above 5 %');
  });
});

describe('markdownCode', () => {
  it('fences with more backticks than the text holds', () => {
    expect(markdownCode('a`b``c')).toBe('```a`b``c```');
    expect(markdownCode('`x')).toBe('`` `x ``');
    expect(markdownCode('line\nbreak')).toBe('`line break`');
  });
});

describe('markdownLink', () => {
  it('writes the destination in angle brackets, escaping only what could end it or be decoded', () => {
    expect(markdownLink('evidence', 'https://grafana.example.com/d/1?from=now-1h&to=now')).toBe('[evidence](<https://grafana.example.com/d/1?from=now-1h&to=now>)');
    expect(markdownLink('evidence', 'https://ok.example/a>)[x](javascript:alert(1))')).toBe('[evidence](<https://ok.example/a\\>)[x](javascript:alert(1))>)');
    expect(markdownLink('e[1]', 'https://ok.example/&amp;<')).toBe('[e\\[1\\]](<https://ok.example/\\&amp;\\<>)');
  });

  it('does not link a URL we would refuse today (stored before URLs were checked): it is shown as code', () => {
    expect(markdownLink('evidence', 'javascript:alert(1)')).toBe('evidence (not a valid link): `javascript:alert(1)`');
    expect(markdownLink('evidence', 'https://ok.example/\n[x](javascript:alert(1))')).toBe('evidence (not a valid link): `https://ok.example/ [x](javascript:alert(1))`');
  });
});
