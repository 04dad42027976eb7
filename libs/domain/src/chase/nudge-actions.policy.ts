import { NudgeActionKind } from '../enums/contract.enums';
import type { NudgeSubjectKind } from './nudge.message';

/** One answer offered by a nudge: the same links in the webhook body, Slack buttons and email. */
export interface NudgeAction {
  readonly kind: NudgeActionKind;
  /** Absolute, under PUBLIC_URL; opening it only shows the answer, the person confirms it. */
  readonly url: string;
  /** The button's words. */
  readonly label: string;
}

export interface NudgeActionsInput {
  /** PUBLIC_URL without a trailing slash. */
  readonly publicUrl: string;
  readonly subjectKind: NudgeSubjectKind;
  readonly subjectId: string;
  /** The postmortem's incident, INC-<n>: the web app opens a postmortem by its incident's reference. */
  readonly incidentReference: string | null;
  /** Nobody (active) is assigned: the nudge offers "I'll take it". */
  readonly unassigned: boolean;
  /** Carried by every link so an answer can be traced to the nudge that caused it. */
  readonly deliveryId: string;
}

const LABELS: Record<NudgeActionKind, string> = {
  OPEN: 'Open in Hindsight',
  COMPLETE: 'Done',
  EXTEND: 'Need more time',
  SNOOZE: 'Snooze',
  CLAIM: "I'll take it",
};

/** The web app's query parameter for each answer (OPEN has none: it just opens the item). */
export const NUDGE_ACTION_PARAM: Record<Exclude<NudgeActionKind, 'OPEN'>, string> = {
  COMPLETE: 'complete',
  EXTEND: 'extend',
  SNOOZE: 'snooze',
  CLAIM: 'claim',
};

/** Reads the web app's `action` query parameter back; anything else opens the item only. */
export function nudgeActionFromParam(value: string | null | undefined): NudgeActionKind {
  const found = (Object.entries(NUDGE_ACTION_PARAM) as [Exclude<NudgeActionKind, 'OPEN'>, string][]).find(([, p]) => p === value);
  return found ? found[0] : 'OPEN';
}

/**
 * The answers of one nudge, in button order. Links only open a page: mail scanners and chat
 * unfurlers fetch them, so nothing may change until the person confirms. An action item
 * offers done / more time / snooze (and claim while unassigned); a postmortem is written in
 * the editor, so its nudge only opens it.
 */
export function nudgeActions(input: NudgeActionsInput): NudgeAction[] {
  const base = input.publicUrl.replace(/\/+$/, '');
  const delivery = encodeURIComponent(input.deliveryId);
  if (input.subjectKind === 'RUNBOOK') {
    // A runbook is reviewed or revised on its page; the nudge only opens it.
    return [{ kind: 'OPEN', label: LABELS.OPEN, url: `${base}/runbooks/${encodeURIComponent(input.subjectId)}?delivery=${delivery}` }];
  }
  if (input.subjectKind === 'POSTMORTEM') {
    const incident = encodeURIComponent(input.incidentReference ?? input.subjectId);
    return [{ kind: 'OPEN', label: LABELS.OPEN, url: `${base}/incidents/${incident}/postmortem?delivery=${delivery}` }];
  }
  const item = `${base}/action-items/${encodeURIComponent(input.subjectId)}`;
  const kinds: NudgeActionKind[] = ['OPEN', 'COMPLETE', 'EXTEND', 'SNOOZE', ...(input.unassigned ? (['CLAIM'] as const) : [])];
  return kinds.map((kind) => ({
    kind,
    label: LABELS[kind],
    url: kind === 'OPEN' ? `${item}?delivery=${delivery}` : `${item}?action=${NUDGE_ACTION_PARAM[kind]}&delivery=${delivery}`,
  }));
}
