import { CAUSE_PRONOUNS, DETERMINERS, looksLikePersonName, looksLikeProductName, NEGATIONS, PERSON_PRONOUNS, ROLE_NOUNS } from './person-words.language';
import { splitPossessive, TokenIndex } from './tokens.language';

export type BlamelessRuleId =
  | 'human-error'
  | 'careless'
  | 'should-have-known'
  | 'negligence'
  | 'more-careful'
  | 'blame'
  | 'fault'
  | 'judgement'
  | 'didnt-bother'
  | 'obviously'
  | 'informal-blame'
  | 'person-forgot'
  | 'person-failed'
  | 'person-should-have'
  | 'person-caused'
  | 'person-responsible'
  | 'named-cause'
  | 'possessive-blame';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface BlamelessRule {
  readonly id: BlamelessRuleId;
  /** Case-insensitive, global. */
  readonly pattern: RegExp;
  /**
   * When two findings overlap they become one; the suggestion of the higher priority wins.
   * Specific phrases (3) say more than "a named person did X" (2) or a person-verb (1).
   */
  readonly priority: number;
  readonly suggestion: string;
  /** For rules that cover several verbs: the id and suggestion of this particular match. */
  readonly classify?: (match: RegExpExecArray) => { readonly id: BlamelessRuleId; readonly suggestion: string };
  /** Narrows or rejects a raw match using the context; absent = the match as is. */
  readonly refine?: (match: RegExpExecArray, words: TokenIndex) => Span | null;
}

export const SUGGESTIONS = {
  humanError: 'Describe the conditions that made the action possible and the safeguard that did not catch it.',
  careless: "Describe what made this step easy to get wrong (tooling, defaults, missing checks) rather than a person's care.",
  hindsight: 'Hindsight bias: describe what the responders knew at the time, and what would have surfaced the missing information.',
  negligence: "Describe the gap in process or tooling instead of judging someone's diligence.",
  moreCareful: 'Care is not a safeguard: name the check, guardrail or automation that would catch this next time.',
  blame: 'Ask what, not who: describe the contributing factors and the safeguards that did not hold.',
  judgement: 'Judgements of people do not prevent a recurrence; describe the conditions and the missing safeguards.',
  didntBother: 'Describe the pressure or friction that made the step easy to skip, and how to remove it.',
  obviously: 'Hindsight bias: what seems clear now was not clear at the time; describe which signals were available and how visible they were.',
  informal: "Describe the action and what allowed it to have this effect (e.g. 'a manual config edit reached production without validation').",
  forgot: 'Name the step that relied on memory, and the reminder, check or automation that would make remembering unnecessary.',
  failed: 'Describe what the system asked of the person at that moment and why nothing caught the gap, rather than what the person did not do.',
  namedCause: "Name the action and the conditions that let it cause harm (e.g. 'the v2.3 deploy was not caught by the canary'), not the person.",
} as const;

const APOS = "['’]";
const HAVE = `(?:\\s+have|${APOS}ve)`;

const rx = (source: string): RegExp => new RegExp(source, 'giu');

/** The words just before `pos` in the same sentence, lower-cased. */
function wordsBefore(text: string, pos: number, count: number): string[] {
  const window = text.slice(Math.max(0, pos - 60), pos);
  const sentence = window.split(/[.!?;:\n]/u).pop() ?? '';
  return (sentence.match(/[\p{L}'’]+/gu) ?? []).slice(-count).map((w) => w.toLowerCase());
}

// "lazy" in "lazy loading", "lazy evaluation" is engineering vocabulary, not a judgement.
const TECHNICAL_LAZY = /^[\s-]+(?:load\w*|eval\w*|init\w*|fetch\w*|import\w*|static|compil\w*|bind\w*|mode|instantiat\w*|propert\w*|sequences?|streams?|lists?|iterat\w*|delet\w*|expan\w*|consumers?|propagat\w*|val|var|values?|quantifiers?|matching)\b/iu;

const FILLERS = new Set(['just', 'then', 'also', 'again', 'had', 'has', 'have', 'simply', 'apparently', 'probably', 'accidentally', 'mistakenly', 'unfortunately', 'somehow', 'completely', 'totally', 'clearly', 'obviously']);

const isFiller = (w: { text: string; lower: string }): boolean => FILLERS.has(w.text) || (w.text === w.lower && w.lower.length > 4 && w.lower.endsWith('ly'));

const isLowerWord = (w: { text: string; lower: string }): boolean => w.text === w.lower && /^\p{Ll}/u.test(w.text);

/** Start of a determiner + (one modifier +) role noun ending at token i ("the on-call engineer"), or null. */
function rolePhraseStart(words: TokenIndex, i: number): number | null {
  const t = words.tokens;
  if (!ROLE_NOUNS.has(splitPossessive(t[i].lower).base)) return null;
  const p = words.previous(i);
  if (p < 0) return null;
  if (DETERMINERS.has(t[p].lower)) return t[p].start;
  const q = words.previous(p);
  if (q >= 0 && DETERMINERS.has(t[q].lower) && isLowerWord(t[p])) return t[q].start;
  return null;
}

/**
 * Start of the person who is the grammatical subject of the verb at `pos`: a pronoun, a
 * role ("the on-call engineer"), or a name ("Alice", "Alice Smith") — skipping adverbs in
 * between ("Alice accidentally forgot"). For verbs of causing, "Alice's change" counts too,
 * and "they" does not: things crash and cause backlogs far more often than people do.
 * Null when the subject is a thing.
 */
function personSubjectStart(words: TokenIndex, pos: number, causing: boolean): number | null {
  const t = words.tokens;
  let i = words.before(pos);
  for (let skipped = 0; i >= 0 && skipped < 2 && isFiller(t[i]); skipped++) i = words.previous(i);
  // "It was Alice who broke it": the person is the one before "who".
  if (i >= 0 && t[i].lower === 'who') i = words.previous(i);
  if (i < 0) return null;
  const w = t[i];
  if (PERSON_PRONOUNS.has(w.lower) && (w.lower !== 'i' || w.text === 'I')) return causing && w.lower === 'they' ? null : w.start;
  const role = rolePhraseStart(words, i);
  if (role !== null) return role;
  const p = words.previous(i);
  if (looksLikePersonName(w.text, words.lowerCaseWords)) {
    if (p >= 0 && (DETERMINERS.has(t[p].lower) || looksLikeProductName(t[p].text))) return null;
    return p >= 0 && looksLikePersonName(t[p].text, words.lowerCaseWords) ? t[p].start : w.start;
  }
  if (causing && isLowerWord(w) && p >= 0) {
    const owner = splitPossessive(t[p].text);
    if (owner.possessive && looksLikePersonName(owner.base, words.lowerCaseWords)) return t[p].start;
    if (owner.possessive) return rolePhraseStart(words, p);
  }
  return null;
}

const PERSON_VERB = rx(
  [
    `\\bforg(?:ot|otten)(?:\\s+(?:to|about))?\\b`,
    `\\b(?:failed|neglected|omitted)\\s+to\\b`,
    `\\b(?:ignored|overlooked|missed|neglected)\\b`,
    `\\bdid(?:n${APOS}t|\\s+not)\\s+(?:notice|check|test|verify|follow|read|look|see|realise|realize|think|review)\\b`,
    `\\bshould(?:n${APOS}t|\\s+not)?${HAVE}\\b`,
    `\\b(?:caused|broke|crashed|brought\\s+down|took\\s+down|messed\\s+up|screwed\\s+up|dropped\\s+the\\s+ball|fat[\\s-]?fingered|made\\s+(?:a|an|the)\\s+(?:mistake|error))\\b`,
  ].join('|'),
);

type VerbKind = 'forgot' | 'failed' | 'should' | 'caused';

function verbKind(verb: string): VerbKind {
  const v = verb.toLowerCase();
  if (v.startsWith('forg')) return 'forgot';
  if (v.startsWith('should')) return 'should';
  if (/^(?:failed|neglected|omitted|ignored|overlooked|missed|did)/u.test(v)) return 'failed';
  return 'caused';
}

const VERB_RULE: Record<VerbKind, { id: BlamelessRuleId; suggestion: string }> = {
  forgot: { id: 'person-forgot', suggestion: SUGGESTIONS.forgot },
  failed: { id: 'person-failed', suggestion: SUGGESTIONS.failed },
  should: { id: 'person-should-have', suggestion: SUGGESTIONS.hindsight },
  caused: { id: 'person-caused', suggestion: SUGGESTIONS.namedCause },
};

const CAUSE_CONNECTOR = rx(
  `\\b(because(?:\\s+of)?|due\\s+to|caused\\s+by|thanks\\s+to|triggered\\s+by|introduced\\s+by|broken\\s+by|fault\\s+of|blamed?\\s+(?:it\\s+)?on|` +
    // "the root cause was Bob", "root cause: the intern", "a mistake by Alice"
    `(?:root\\s+)?cause\\s+(?:was|is)|root\\s+cause:|(?:mistakes?|oversights?|blunders?)\\s+by)\\s+`,
);

const CONNECTOR_DETERMINERS = new Set(['the', 'a', 'an', 'our', 'one', 'this', 'that']);

/**
 * "because Alice pushed", "due to John's mistake", "caused by the intern": the phrase from
 * the connector through the person, plus the possessed noun ("John's mistake") or, after
 * "because", the verb the person is subject of.
 */
function namedCause(match: RegExpExecArray, words: TokenIndex): Span | null {
  const t = words.tokens;
  const j = words.after(match.index + match[0].length);
  if (j < 0) return null;
  const first = t[j];
  const because = match[1].toLowerCase().startsWith('because') && !/of$/iu.test(match[1]);
  let last = -1;
  let possessive = false;
  if (CAUSE_PRONOUNS.has(first.lower)) last = j;
  else if (CONNECTOR_DETERMINERS.has(first.lower)) {
    const k = words.next(j);
    const k2 = words.next(k);
    if (k >= 0 && ROLE_NOUNS.has(splitPossessive(t[k].lower).base)) last = k;
    else if (k2 >= 0 && isLowerWord(t[k]) && ROLE_NOUNS.has(splitPossessive(t[k2].lower).base)) last = k2;
    if (last >= 0) possessive = splitPossessive(t[last].text).possessive;
  } else {
    const name = splitPossessive(first.text);
    if (!looksLikePersonName(name.base, words.lowerCaseWords)) return null;
    last = j;
    possessive = name.possessive;
    const k = words.next(j);
    if (!possessive && k >= 0) {
      const second = splitPossessive(t[k].text);
      if (looksLikePersonName(second.base, words.lowerCaseWords)) {
        last = k;
        possessive = second.possessive;
      }
    }
  }
  if (last < 0) return null;
  const following = words.next(last);
  if ((possessive || because) && following >= 0 && isLowerWord(t[following])) last = following;
  return { start: match.index, end: t[last].end };
}

const ERROR_COMPOUNDS = '(?!\\s+(?:rates?|budgets?|counts?|codes?|handling|messages?|logs?|pages?|types?|classes|class)\\b)';

/**
 * The rule table. Patterns are case-insensitive; whether a word is a person's name is
 * decided case-sensitively in the refine step (a case-insensitive \p{Lu} would match any letter).
 */
export const BLAMELESS_RULES: readonly BlamelessRule[] = [
  {
    id: 'human-error',
    pattern: rx(`\\b(?:human|operator|pilot)[\\s-]+(?:errors?|mistakes?)\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.humanError,
  },
  { id: 'careless', pattern: rx(`\\bcareless(?:ly|ness)?\\b`), priority: 3, suggestion: SUGGESTIONS.careless },
  {
    id: 'should-have-known',
    pattern: rx(`\\b(?:should|ought\\s+to)${HAVE}\\s+known(?:\\s+better)?\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.hindsight,
  },
  { id: 'negligence', pattern: rx(`\\bnegligen(?:ce|t|tly)\\b`), priority: 3, suggestion: SUGGESTIONS.negligence },
  {
    id: 'more-careful',
    pattern: rx(`\\bshould${HAVE}\\s+been\\s+(?:more\\s+)?(?:careful|cautious|attentive|vigilant)\\b|\\b(?:be|been|being)\\s+more\\s+(?:careful|cautious|attentive|vigilant)\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.moreCareful,
  },
  {
    id: 'blame',
    pattern: rx(`\\bblam(?:e|ed|es|ing)\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.blame,
    refine: (m, words) => {
      const before = wordsBefore(words.text, m.index, 4);
      if (before[before.length - 1] === 'git') return null;
      if (before.some((w) => NEGATIONS.has(w) || /n['’]t$/u.test(w))) return null;
      return { start: m.index, end: m.index + m[0].length };
    },
  },
  {
    id: 'fault',
    pattern: rx(`\\b(?:fault\\s+of|at\\s+fault|whose\\s+fault|(?:his|her|their|my|your)\\s+(?:own\\s+)?fault)\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.blame,
  },
  {
    id: 'judgement',
    pattern: rx(
      `\\b(?:silly|rookie|dumb|stupid)\\s+(?:mistakes?|errors?)\\b|\\b(?:incompeten(?:t|ce)|sloppy|sloppiness|lazy|laziness|stupid(?:ity)?|idiot(?:ic|s)?|reckless(?:ly|ness)?|irresponsibl[ey]|inattentive|clueless|foolish(?:ly)?)\\b`,
    ),
    priority: 3,
    suggestion: SUGGESTIONS.judgement,
    refine: (m, words) => {
      if (/^lazy$/iu.test(m[0]) && TECHNICAL_LAZY.test(words.text.slice(m.index + m[0].length))) return null;
      return { start: m.index, end: m.index + m[0].length };
    },
  },
  {
    id: 'didnt-bother',
    pattern: rx(`\\b(?:did(?:n${APOS}t|\\s+not)|could(?:n${APOS}t|\\s+not))\\s+(?:be\\s+)?bother(?:ed)?\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.didntBother,
  },
  {
    id: 'obviously',
    pattern: rx(`\\bobviously\\b|\\b(?:it${APOS}s|was|were|is|seemed|seems|should${HAVE}\\s+been)\\s+(?:so\\s+)?obvious\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.obviously,
  },
  {
    id: 'informal-blame',
    pattern: rx(`\\b(?:dropped\\s+the\\s+ball|screwed[\\s-]+up|messed\\s+up|fat[\\s-]?finger(?:ed|ing)?|botched)\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.informal,
  },
  {
    id: 'possessive-blame',
    pattern: rx(
      `([\\p{L}]+(?:-[\\p{L}]+)?)${APOS}s\\s+(?:own\\s+)?(?:mistakes?|errors?|faults?|oversights?|blunders?|typos?|negligence|carelessness|screw-?ups?|incompetence|bad\\s+(?:deploy|change|config|push|commit|merge))\\b${ERROR_COMPOUNDS}`,
    ),
    priority: 3,
    suggestion: SUGGESTIONS.namedCause,
    refine: (m, words) => {
      const i = words.after(m.index);
      // "the intern's mistake": a role, reported with its determiner.
      if (i >= 0 && ROLE_NOUNS.has(m[1].toLowerCase())) {
        const start = rolePhraseStart(words, i) ?? m.index;
        return { start, end: m.index + m[0].length };
      }
      if (!looksLikePersonName(m[1], words.lowerCaseWords)) return null;
      const p = i >= 0 ? words.previous(i) : -1;
      if (p >= 0 && DETERMINERS.has(words.tokens[p].lower)) return null;
      return { start: m.index, end: m.index + m[0].length };
    },
  },
  {
    id: 'possessive-blame',
    pattern: rx(`\\b(?:his|her|their)\\s+(?:own\\s+)?(?:mistakes?|faults?|oversights?|blunders?|negligence|carelessness|screw-?ups?|incompetence)\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.namedCause,
  },
  {
    // "The mistake was Alice's", "the fault is the intern's".
    id: 'possessive-blame',
    pattern: rx(`\\b(?:mistakes?|errors?|faults?|oversights?|blunders?)\\s+(?:was|is|were)\\s+(?:all\\s+|entirely\\s+|solely\\s+)?(?:the\\s+)?([\\p{L}]+(?:-[\\p{L}]+)?)${APOS}s\\b`),
    priority: 3,
    suggestion: SUGGESTIONS.namedCause,
    refine: (m, words) => {
      const owner = m[1];
      if (!ROLE_NOUNS.has(owner.toLowerCase()) && !looksLikePersonName(owner, words.lowerCaseWords)) return null;
      return { start: m.index, end: m.index + m[0].length };
    },
  },
  {
    // "Alice was responsible for the outage": a person as the cause of the harm, not as an owner of work.
    id: 'person-responsible',
    pattern: rx(
      `\\b(?:was|is|were|are)\\s+(?:directly\\s+|solely\\s+|fully\\s+|entirely\\s+|personally\\s+)?responsible\\s+for\\s+(?:the\\s+|this\\s+|that\\s+|an?\\s+)?(?:outages?|incidents?|failures?|downtime|breakage|mistakes?|errors?|problems?|bugs?|regressions?|disruptions?)\\b${ERROR_COMPOUNDS}`,
    ),
    priority: 2,
    suggestion: SUGGESTIONS.namedCause,
    refine: (m, words) => {
      const start = personSubjectStart(words, m.index, true);
      return start === null ? null : { start, end: m.index + m[0].length };
    },
  },
  {
    id: 'named-cause',
    pattern: CAUSE_CONNECTOR,
    priority: 2,
    suggestion: SUGGESTIONS.namedCause,
    refine: namedCause,
  },
  {
    id: 'person-failed',
    pattern: PERSON_VERB,
    priority: 1,
    suggestion: SUGGESTIONS.failed,
    classify: (m) => VERB_RULE[verbKind(m[0])],
    refine: (m, words) => {
      const start = personSubjectStart(words, m.index, verbKind(m[0]) === 'caused');
      return start === null ? null : { start, end: m.index + m[0].length };
    },
  },
];
