/** A word of the reviewed text with its UTF-16 offsets (end exclusive). */
export interface Token {
  readonly text: string;
  readonly lower: string;
  readonly start: number;
  readonly end: number;
}

// Words with inner apostrophes or hyphens stay whole: "Alice's", "didn't", "on-call".
const WORD = /[\p{L}\p{N}_]+(?:['’-][\p{L}\p{N}_]+)*/gu;

export function tokenize(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0], lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

const onlySpace = (s: string): boolean => /^\s*$/.test(s);

/**
 * Navigation over the tokens of one text. "Adjacent" means separated by whitespace only:
 * punctuation ends a phrase, so "Afterwards, Alice" does not make "Afterwards" part of a name.
 */
export class TokenIndex {
  readonly tokens: readonly Token[];
  /** Every word that occurs entirely in lower case somewhere in the text. */
  readonly lowerCaseWords: ReadonlySet<string>;

  constructor(readonly text: string) {
    this.tokens = tokenize(text);
    this.lowerCaseWords = new Set(this.tokens.filter((t) => t.text === t.lower).map((t) => t.lower));
  }

  /** Index of the token ending before `pos` with only whitespace between, or -1. */
  before(pos: number): number {
    let lo = 0;
    let hi = this.tokens.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].end <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && onlySpace(this.text.slice(this.tokens[found].end, pos)) ? found : -1;
  }

  /** Index of the token starting at or after `pos` with only whitespace between, or -1. */
  after(pos: number): number {
    let lo = 0;
    let hi = this.tokens.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].start >= pos) {
        found = mid;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return found >= 0 && onlySpace(this.text.slice(pos, this.tokens[found].start)) ? found : -1;
  }

  previous(i: number): number {
    return i > 0 ? this.before(this.tokens[i].start) : -1;
  }

  next(i: number): number {
    return i >= 0 && i < this.tokens.length - 1 ? this.after(this.tokens[i].end) : -1;
  }
}

/** "Alice's" → { base: "Alice", possessive: true }. */
export function splitPossessive(word: string): { base: string; possessive: boolean } {
  const m = /^(.+)['’]s$/u.exec(word);
  return m ? { base: m[1], possessive: true } : { base: word, possessive: false };
}
