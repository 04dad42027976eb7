import { POSTMORTEM_DOCUMENT_SECTIONS, type PostmortemDocumentSection } from './comment.rules';
import { POSTMORTEM_SECTIONS } from './postmortem.validation';

export { POSTMORTEM_DOCUMENT_SECTIONS, type PostmortemDocumentSection };

/**
 * The postmortem document's section titles, in the order of POSTMORTEM_DOCUMENT_SECTIONS:
 * the page, its print and the Markdown export all write these headings in this order, so the
 * three show the same document (issue 23).
 */
export const POSTMORTEM_SECTION_TITLES: Readonly<Record<PostmortemDocumentSection, string>> = {
  summary: 'Summary',
  impact: 'Impact',
  timeline: 'Timeline',
  triggeringCause: 'Triggering cause',
  contributingFactors: 'Contributing factors',
  failedSafeguards: 'Failed safeguards',
  hypotheses: 'Hypotheses tested',
  whatWentWell: 'What went well',
  whatWentPoorly: 'What went poorly',
  whereWeGotLucky: 'Where we got lucky',
  actionItems: 'Action items',
  runbookFeedback: 'Runbook feedback',
  lessons: 'Lessons',
};

/** The document's outline: each section with its heading, in the fixed order. */
export function postmortemOutline(): { section: PostmortemDocumentSection; title: string }[] {
  return POSTMORTEM_DOCUMENT_SECTIONS.map((section) => ({ section, title: POSTMORTEM_SECTION_TITLES[section] }));
}

/** The sections whose body is the authors' Markdown (the rest are recorded on the incident). */
export const POSTMORTEM_WRITTEN_SECTIONS = POSTMORTEM_SECTIONS satisfies readonly PostmortemDocumentSection[];

/** An enum value as words: "FEATURE_STORE_LAG" → "Feature store lag". */
export function enumWords(value: string): string {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Minutes as "45 min", "3 h 20 min", "2 d 4 h": durations people read at a glance; "—" when unknown. */
export function durationWords(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return `${d} d${h ? ` ${h} h` : ''}`;
}

export interface IncidentMilestoneTimes<T> {
  readonly startedAt: T;
  readonly detectedAt: T | null;
  readonly acknowledgedAt: T | null;
  readonly mitigatedAt: T | null;
  readonly resolvedAt: T | null;
}

export interface MilestoneRow<T> {
  readonly milestone: 'startedAt' | 'detectedAt' | 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt';
  readonly label: string;
  /** "Time to detect" etc.; null for the start. */
  readonly durationLabel: string | null;
  readonly at: T | null;
  /** Minutes from the start to this milestone; null for the start or while not reached. */
  readonly sinceStartMinutes: number | null;
}

const MILESTONE_ROWS = [
  ['startedAt', 'Started', null],
  ['detectedAt', 'Detected', 'Time to detect'],
  ['acknowledgedAt', 'Acknowledged', 'Time to acknowledge'],
  ['mitigatedAt', 'Mitigated', 'Time to mitigate'],
  ['resolvedAt', 'Resolved', 'Time to resolve'],
] as const;

/**
 * The impact section's milestone table (PRODUCT.md 5): each milestone with the time from the
 * start to it. Works on Dates (the export) and ISO strings (the web page) alike.
 */
export function milestoneRows<T extends Date | string>(times: IncidentMilestoneTimes<T>): MilestoneRow<T>[] {
  const start = new Date(times.startedAt).getTime();
  return MILESTONE_ROWS.map(([milestone, label, durationLabel]) => {
    const at = times[milestone];
    const sinceStartMinutes = durationLabel && at !== null ? (new Date(at).getTime() - start) / 60_000 : null;
    return { milestone, label, durationLabel, at, sinceStartMinutes };
  });
}
