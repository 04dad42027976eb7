import { csvCell } from './reliability.csv';

describe('csvCell', () => {
  it('writes figures and dates as they are, empty for null', () => {
    expect([csvCell(12), csvCell(-3.5), csvCell(0), csvCell(null), csvCell('2026-01-05T00:00:00.000Z'), csvCell('total')]).toEqual(['12', '-3.5', '0', '', '2026-01-05T00:00:00.000Z', 'total']);
  });

  it('keeps text a spreadsheet would run as a formula from running (CSV injection)', () => {
    expect(csvCell('=HYPERLINK("https://evil.example","x")')).toBe(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
    expect(['+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'].map(csvCell)).toEqual(["'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1", `"'\r=1"`]);
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
});
