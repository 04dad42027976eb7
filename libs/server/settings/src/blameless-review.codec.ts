import type { BlamelessRuleId, LanguageFinding } from '@hindsight/domain';

/**
 * Findings as they cross from the worker thread: four numbers each (start, end, suggestion,
 * rule) in one transferred buffer, and each distinct string once. 100 kB of prose gives over a
 * thousand findings; cloned as objects, their phrases and suggestions were megabytes for the
 * event loop to copy and collect, which the reviewed text (already in the event loop's hands)
 * makes unnecessary.
 */
export interface EncodedFindings {
  strings: string[];
  spans: Int32Array<ArrayBuffer>;
}

export function encodeFindings(findings: readonly LanguageFinding[]): EncodedFindings {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = strings.push(s) - 1));
    return i;
  };
  const spans = new Int32Array(findings.length * 4);
  findings.forEach((f, i) => spans.set([f.start, f.end, intern(f.suggestion), intern(f.rule)], i * 4));
  return { strings, spans };
}

/** The findings again, their phrases cut from the text that was reviewed. */
export function decodeFindings(text: string, { strings, spans }: EncodedFindings): LanguageFinding[] {
  const out: LanguageFinding[] = [];
  for (let i = 0; i < spans.length; i += 4) {
    const start = spans[i]!;
    const end = spans[i + 1]!;
    out.push({ phrase: text.slice(start, end), start, end, suggestion: strings[spans[i + 2]!]!, rule: strings[spans[i + 3]!] as BlamelessRuleId });
  }
  return out;
}
