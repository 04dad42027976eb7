import { RUNBOOK_SECTION_TITLES, RUNBOOK_SECTIONS, RunbookContent } from './runbook.rules';

export type DiffOp = 'SAME' | 'ADDED' | 'REMOVED';
export interface DiffLine {
  readonly op: DiffOp;
  readonly text: string;
}
export interface SectionDiff {
  /** `title` or a section name. */
  readonly section: string;
  readonly heading: string;
  readonly lines: readonly DiffLine[];
}

/** Above this many lines × lines the LCS table would be too large to build per request; the diff then shows old lines removed and new ones added. */
const MAX_CELLS = 4_000_000;

/**
 * A line diff (longest common subsequence), the shape reviewers read in code review.
 * Runbook sections are short, so the O(n·m) table is cheap; a pathological pair falls back
 * to "all removed, all added", which is still correct, only less precise.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: DiffLine[] = a.slice(0, start).map((text) => ({ op: 'SAME', text }));
  const tail: DiffLine[] = a.slice(endA).map((text) => ({ op: 'SAME', text }));
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  if (x.length * y.length > MAX_CELLS) {
    return [...head, ...x.map((text): DiffLine => ({ op: 'REMOVED', text })), ...y.map((text): DiffLine => ({ op: 'ADDED', text })), ...tail];
  }
  // lcs[i][j]: length of the LCS of x[i..] and y[j..]
  const lcs: Uint32Array[] = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      middle.push({ op: 'SAME', text: x[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      middle.push({ op: 'REMOVED', text: x[i++] });
    } else {
      middle.push({ op: 'ADDED', text: y[j++] });
    }
  }
  while (i < x.length) middle.push({ op: 'REMOVED', text: x[i++] });
  while (j < y.length) middle.push({ op: 'ADDED', text: y[j++] });
  return [...head, ...middle, ...tail];
}

/** The changed parts of two revisions, section by section; unchanged sections are left out. */
export function diffRunbooks(before: RunbookContent, after: RunbookContent): SectionDiff[] {
  const out: SectionDiff[] = [];
  if (before.title !== after.title) out.push({ section: 'title', heading: 'Title', lines: diffLines(before.title, after.title) });
  for (const s of RUNBOOK_SECTIONS) {
    const a = before[s] ?? '';
    const b = after[s] ?? '';
    if (a !== b) out.push({ section: s, heading: RUNBOOK_SECTION_TITLES[s], lines: diffLines(a, b) });
  }
  return out;
}

/** The diff as unified-style text ("+ " added, "- " removed, "  " kept), for exports and messages. */
export function formatDiff(diff: readonly SectionDiff[]): string {
  return diff.map((d) => [`## ${d.heading}`, ...d.lines.map((l) => `${l.op === 'ADDED' ? '+' : l.op === 'REMOVED' ? '-' : ' '} ${l.text}`)].join('\n')).join('\n\n');
}
