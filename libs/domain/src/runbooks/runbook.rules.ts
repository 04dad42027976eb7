import type { RunbookVerdict } from '../enums/contract.enums';
import { canRead, type Actor } from '../identity/roles.policy';
import { markdownText } from '../markdown/markdown.escape';
import { addDays, isValidDate } from '../time/time.util';
import { checkText, checkTitle, FieldError } from '../validation/fields.validation';

/** The sections an on-call engineer needs at 3 a.m., in the order a runbook shows them. */
export const RUNBOOK_SECTIONS = ['detection', 'mitigation', 'verification', 'escalation', 'rollback', 'pitfalls'] as const;
export type RunbookSection = (typeof RUNBOOK_SECTIONS)[number];

export const RUNBOOK_SECTION_TITLES: Readonly<Record<RunbookSection, string>> = Object.freeze({
  detection: 'What to look at first',
  mitigation: 'Immediate mitigation',
  verification: 'How to verify the fix',
  escalation: 'Who to call and when to escalate',
  rollback: 'Last-resort rollback',
  pitfalls: 'Pitfalls',
});

/** Review intervals outside these bounds are typos, not choices (a runbook reviewed every 5000 days is not kept true). */
export const RUNBOOK_REVIEW_LIMITS = { minDays: 1, maxDays: 730 } as const;

/** The content a revision snapshots. */
export type RunbookContent = { readonly title: string } & { readonly [K in RunbookSection]: string | null };

/**
 * Feedback that says the runbook fell short offers a linked PROCESS action item; HELPED
 * needs no work and NOT_USED says nothing about the runbook itself.
 */
export function verdictCallsForWork(verdict: RunbookVerdict): boolean {
  return verdict !== 'HELPED' && verdict !== 'NOT_USED';
}

/**
 * Runbooks belong to the service's team: its members and manager edit them, and so do
 * COMMANDERs and ADMINs (they run incidents across teams and find the gaps). A VIEWER never
 * edits, even as a team member — the same rule as action items.
 */
export function canEditRunbook(actor: Actor, serviceTeamId: string): boolean {
  if (actor.role === 'VIEWER') return false;
  if (actor.role === 'ADMIN' || actor.role === 'COMMANDER') return true;
  return actor.teamIds.includes(serviceTeamId);
}

/** Whoever may edit a runbook may also vouch that it is still true. */
export const canReviewRunbook = canEditRunbook;

/**
 * PRODUCT.md 1: everyone signed in reads runbooks and may record feedback on an incident they
 * can read — a VIEWER who watched the runbook fail says so too. Editing stays with the team.
 */
export const canGiveRunbookFeedback = (actor: Actor): boolean => canRead(actor);

export interface RunbookFreshness {
  /** When a person last confirmed the runbook is still true (markRunbookReviewed). */
  readonly lastReviewedAt: Date | null;
  /** When the last revision was saved: writing it is a review too. */
  readonly updatedAt: Date;
  readonly reviewIntervalDays: number;
}

/**
 * When the runbook next needs a look: the later of the last review and the last revision,
 * plus the interval. Either one resets the clock, so a team that keeps editing is never
 * chased for a review on top.
 */
export function runbookReviewDueAt(f: RunbookFreshness): Date {
  const last = isValidDate(f.lastReviewedAt) && f.lastReviewedAt > f.updatedAt ? f.lastReviewedAt : f.updatedAt;
  return addDays(last, f.reviewIntervalDays);
}

/** Stale from the moment its review falls due (the same instant an action item becomes DUE). */
export function isRunbookStale(reviewDueAt: Date, now: Date): boolean {
  return now.getTime() >= reviewDueAt.getTime();
}

export function checkReviewInterval(field: string, value: unknown): FieldError | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < RUNBOOK_REVIEW_LIMITS.minDays || value > RUNBOOK_REVIEW_LIMITS.maxDays) {
    return { field, reason: `must be a whole number of days between ${RUNBOOK_REVIEW_LIMITS.minDays} and ${RUNBOOK_REVIEW_LIMITS.maxDays} (got ${JSON.stringify(value)})` };
  }
  return null;
}

export type RunbookInputShape = { readonly title?: string | null; readonly reviewIntervalDays?: number | null } & { readonly [K in RunbookSection]?: string | null };

/** A new runbook needs a title; an update may leave it out (unchanged) but never blank it. */
export function validateRunbookInput(input: RunbookInputShape, mode: 'create' | 'update', prefix = 'input'): FieldError[] {
  const errors: (FieldError | null)[] = [];
  if (mode === 'create' || input.title !== undefined) errors.push(checkTitle(`${prefix}.title`, input.title));
  for (const s of RUNBOOK_SECTIONS) errors.push(checkText(`${prefix}.${s}`, input[s]));
  errors.push(checkReviewInterval(`${prefix}.reviewIntervalDays`, input.reviewIntervalDays));
  return errors.filter((e): e is FieldError => e !== null);
}

/**
 * The runbook as one Markdown document (the `.md` export): sections in order, empty ones left
 * out. Sections are the authors' Markdown; the title and service name are plain text in the
 * app, so they are escaped here (markdownText) and cannot become links or HTML.
 */
export function runbookMarkdown(r: RunbookContent & { readonly serviceName?: string | null; readonly version?: number }): string {
  const head = [`# ${markdownText(r.title)}`];
  const meta = [r.serviceName ? `Service: ${markdownText(r.serviceName)}` : null, r.version !== undefined ? `Version ${r.version}` : null].filter(Boolean);
  if (meta.length) head.push('', `_${meta.join(' · ')}_`);
  const body = RUNBOOK_SECTIONS.filter((s) => (r[s] ?? '').trim() !== '').map((s) => `## ${RUNBOOK_SECTION_TITLES[s]}\n\n${(r[s] ?? '').trim()}`);
  return [...head, ...body.map((b) => `\n${b}`)].join('\n') + '\n';
}
