import { splitPossessive, TokenIndex, tokenize } from './tokens.language';

describe('tokenize', () => {
  it('keeps apostrophes and hyphens inside words, with UTF-16 offsets', () => {
    expect(tokenize("🔥 Alice's on-call didn't, ok").map((t) => [t.text, t.start, t.end])).toEqual([
      ["Alice's", 3, 10],
      ['on-call', 11, 18],
      ["didn't", 19, 25],
      ['ok', 27, 29],
    ]);
  });
});

describe('TokenIndex', () => {
  const words = new TokenIndex('The deploy, then Alice  forgot');
  const idx = (text: string): number => words.tokens.findIndex((t) => t.text === text);

  it('finds the adjacent word before and after a position, across whitespace only', () => {
    expect(words.before(words.tokens[idx('forgot')].start)).toBe(idx('Alice'));
    expect(words.after(words.tokens[idx('Alice')].end)).toBe(idx('forgot'));
    expect(words.previous(idx('then'))).toBe(-1); // a comma separates "deploy" and "then"
    expect(words.previous(idx('deploy'))).toBe(idx('The'));
    expect(words.next(idx('deploy'))).toBe(-1);
    expect(words.previous(0)).toBe(-1);
    expect(words.next(words.tokens.length - 1)).toBe(-1);
    expect(words.before(0)).toBe(-1);
    expect(words.after(1000)).toBe(-1);
  });

  it('collects the words written in lower case', () => {
    expect([...words.lowerCaseWords].sort()).toEqual(['deploy', 'forgot', 'then']);
  });
});

describe('splitPossessive', () => {
  it.each([
    ["Alice's", 'Alice', true],
    ['Alice’s', 'Alice', true],
    ['Alice', 'Alice', false],
    ["'s", "'s", false],
  ])('%j', (word, base, possessive) => {
    expect(splitPossessive(word)).toEqual({ base, possessive });
  });
});
