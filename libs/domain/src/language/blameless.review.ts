import { BLAMELESS_RULES, BlamelessRule, BlamelessRuleId } from './blameless.rules';
import { TokenIndex } from './tokens.language';

/** One flagged phrase; the shape of the contract's LanguageFinding plus the rule id. */
export interface LanguageFinding {
  readonly phrase: string;
  /** UTF-16 offset of the first character, as JavaScript strings and the browser count. */
  readonly start: number;
  /** UTF-16 offset after the last character (exclusive). */
  readonly end: number;
  readonly suggestion: string;
  readonly rule: BlamelessRuleId;
}

interface Candidate {
  start: number;
  end: number;
  priority: number;
  suggestion: string;
  rule: BlamelessRuleId;
}

/**
 * Ranges that are not prose: fenced and inline code, and URLs. A log line, an identifier
 * or a link path that happens to contain "human_error" or "blame" is not a judgement.
 */
function codeAndLinkRanges(text: string): { start: number; end: number }[] {
  const patterns = [/(```|~~~)[\s\S]*?(?:\1|$)/g, /`[^`\n]+`/g, /\bhttps?:\/\/[^\s<>()[\]]+/gi];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => ({ start: m.index, end: m.index + m[0].length })));
}

const IDENT = /[\p{L}\p{N}_]/u;
// A word glued to another by one of these is part of an identifier, path or tag:
// "human-error-rate", "config.blame", "src/careless", "#blame".
const JOINERS = new Set(['-', '.', '/', '#', '$']);

function isIdent(ch: string | undefined): boolean {
  return ch !== undefined && IDENT.test(ch);
}

/** The span stands as whole words, not inside an identifier or a longer word. */
function atWordBoundaries(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  if (isIdent(before) || isIdent(after)) return false;
  if (before !== undefined && (before === '#' || before === '$' || (JOINERS.has(before) && isIdent(text[start - 2])))) return false;
  if (after !== undefined && JOINERS.has(after) && isIdent(text[end + 1])) return false;
  return true;
}

function candidatesOf(rule: BlamelessRule, words: TokenIndex): Candidate[] {
  const out: Candidate[] = [];
  for (const m of words.text.matchAll(rule.pattern)) {
    const span = rule.refine ? rule.refine(m, words) : { start: m.index, end: m.index + m[0].length };
    if (!span || !atWordBoundaries(words.text, span.start, span.end)) continue;
    const { id, suggestion } = rule.classify?.(m) ?? rule;
    out.push({ start: span.start, end: span.end, priority: rule.priority, suggestion, rule: id });
  }
  return out;
}

/**
 * Overlapping findings become one covering their union ("Alice should have been more
 * careful" is one finding, not two), carrying the suggestion of the most specific rule.
 */
function mergeOverlaps(candidates: Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end || b.priority - a.priority);
  const merged: Candidate[] = [];
  for (const c of sorted) {
    const last = merged[merged.length - 1];
    if (last && c.start < last.end) {
      last.end = Math.max(last.end, c.end);
      if (c.priority > last.priority) Object.assign(last, { priority: c.priority, suggestion: c.suggestion, rule: c.rule });
    } else merged.push({ ...c });
  }
  return merged;
}

/**
 * Blame-laden phrasing in postmortem prose (PRODUCT.md 4 "Blameless by design"): "human
 * error", "careless", "should have known", a person named as the cause, … each with a
 * system-focused suggestion. Advice, not a gate. Matching is case-insensitive on whole
 * words; code, URLs and identifiers are skipped; names are told from things by the word
 * lists in person-words.language.ts, erring towards not flagging. Findings are sorted by
 * start and never overlap.
 */
export function blamelessReview(text: string): LanguageFinding[] {
  if (text.trim() === '') return [];
  const words = new TokenIndex(text);
  const masked = codeAndLinkRanges(text);
  const prose = (c: Candidate): boolean => !masked.some((r) => c.start < r.end && r.start < c.end);
  const candidates = BLAMELESS_RULES.flatMap((rule) => candidatesOf(rule, words)).filter(prose);
  return mergeOverlaps(candidates).map((c) => ({ phrase: text.slice(c.start, c.end), start: c.start, end: c.end, suggestion: c.suggestion, rule: c.rule }));
}
