import { looksLikePersonName, looksLikeProductName, NON_PERSON_WORDS, PERSON_PRONOUNS } from './person-words.language';

const none: ReadonlySet<string> = new Set();

describe('looksLikePersonName', () => {
  it.each(['Alice', 'Bob', "O'Brien", 'Mary-Jane', 'Zoë', 'Irving', 'José'])('%s looks like a name', (w) => {
    expect(looksLikePersonName(w, none)).toBe(true);
  });

  it.each(['alice', 'AWS', 'DNS', 'GitHub', 'PagerDuty', 'Kubernetes', 'Redis', 'Monday', 'June', 'It', 'This', 'Deploy', 'Replication', 'Indexing', 'Deployment', 'Nothing', 'A', 'I'])(
    '%s does not',
    (w) => {
      expect(looksLikePersonName(w, none)).toBe(false);
    },
  );

  it('a word also written in lower case in the text is a noun that started a sentence', () => {
    expect(looksLikePersonName('Bouncer', new Set(['bouncer']))).toBe(false);
    expect(looksLikePersonName('Bouncer', none)).toBe(true);
  });
});

describe('looksLikeProductName', () => {
  it.each([
    ['GitHub', true],
    ['AWS', true],
    ['S3', true],
    ['Google', true],
    ['Kafka', true],
    ['Alice', false],
    ['Yesterday', false],
  ])('%s → %s', (w, expected) => {
    expect(looksLikeProductName(w)).toBe(expected);
  });
});

describe('word lists', () => {
  it('are lower case and do not overlap with person pronouns', () => {
    for (const w of NON_PERSON_WORDS) expect(w).toBe(w.toLowerCase());
    for (const p of PERSON_PRONOUNS) expect(NON_PERSON_WORDS.has(p)).toBe(false);
  });
});
