import { IncidentKind, Priority } from '../enums/contract.enums';

/**
 * The review checklist (the SRE book's postmortem checklist, issue 26), scored on each
 * postmortem: impact complete, triggering cause evidenced, factors and safeguards present,
 * actions at the right priority with owners, shared with the affected teams. Advice for the
 * reviewers, not a publishing gate. A near miss's lighter template needs no impact figures.
 */
export interface ChecklistInput {
  readonly kind: IncidentKind;
  readonly impactText: string | null;
  readonly customerImpact: string | null;
  readonly usersAffected: number | null;
  readonly failedRequests: number | null;
  readonly triggeringCauseText: string | null;
  readonly hasTriggerFactor: boolean;
  /** Confirmed hypotheses and timeline events with an evidence link. */
  readonly confirmedHypotheses: number;
  readonly evidencedEvents: number;
  readonly factors: number;
  readonly safeguards: number;
  readonly noActionReason: string | null;
  /** Committed, not dropped action items. */
  readonly actions: readonly { readonly priority: Priority; readonly assigned: boolean; readonly addresses: boolean }[];
  /** Teams owning the affected services, and the teams of the reviewers (members and managers). */
  readonly affectedTeamIds: readonly string[];
  readonly reviewerTeamIds: readonly string[];
}

export interface ChecklistEntry {
  readonly key: 'impact' | 'trigger' | 'factors' | 'actions' | 'shared';
  readonly label: string;
  readonly met: boolean;
  /** What is missing, or what satisfied it. */
  readonly why: string | null;
}

export const CHECKLIST_LABELS: Readonly<Record<ChecklistEntry['key'], string>> = {
  impact: 'Impact complete',
  trigger: 'Triggering cause evidenced',
  factors: 'Contributing factors and failed safeguards present',
  actions: 'Actions at the right priority, with owners',
  shared: 'Shared with the affected teams',
};

const filled = (s: string | null): boolean => s !== null && s.trim() !== '';

export function reviewChecklist(p: ChecklistInput): ChecklistEntry[] {
  const entry = (key: ChecklistEntry['key'], met: boolean, why: string | null): ChecklistEntry => ({ key, label: CHECKLIST_LABELS[key], met, why });

  const figures = p.usersAffected !== null || p.failedRequests !== null || filled(p.customerImpact);
  const impact = p.kind === 'NEAR_MISS'
    ? entry('impact', true, 'a near miss: no customer impact to state')
    : !filled(p.impactText)
      ? entry('impact', false, 'the impact section is empty')
      : !figures
        ? entry('impact', false, 'state the customer impact (in words, users affected or failed requests)')
        : entry('impact', true, null);

  const cause = filled(p.triggeringCauseText) || p.hasTriggerFactor;
  const evidence = p.confirmedHypotheses + p.evidencedEvents;
  const trigger = !cause
    ? entry('trigger', false, 'name the triggering cause (a factor marked as trigger, or the narrative)')
    : evidence === 0
      ? entry('trigger', false, 'no evidence yet: confirm a hypothesis or link evidence on the timeline')
      : entry('trigger', true, `${p.confirmedHypotheses} confirmed hypothes${p.confirmedHypotheses === 1 ? 'is' : 'es'}, ${p.evidencedEvents} evidenced event${p.evidencedEvents === 1 ? '' : 's'}`);

  const factors = p.factors === 0
    ? entry('factors', false, 'no contributing factor')
    : p.safeguards === 0
      ? entry('factors', false, 'no failed safeguard: what should have caught or limited this?')
      : entry('factors', true, null);

  let actions: ChecklistEntry;
  if (p.actions.length === 0) {
    actions = filled(p.noActionReason) ? entry('actions', true, 'no action needed, with a reason') : entry('actions', false, 'no committed action item and no "no action needed" reason');
  } else {
    const unaddressed = p.actions.filter((a) => !a.addresses).length;
    const urgentUnassigned = p.actions.filter((a) => (a.priority === 'P0' || a.priority === 'P1') && !a.assigned).length;
    if (unaddressed) actions = entry('actions', false, `${unaddressed} action item${unaddressed === 1 ? ' addresses' : 's address'} no factor or safeguard`);
    else if (urgentUnassigned) actions = entry('actions', false, `${urgentUnassigned} P0/P1 item${urgentUnassigned === 1 ? ' has' : 's have'} no assignee`);
    else actions = entry('actions', true, null);
  }

  const reviewers = new Set(p.reviewerTeamIds);
  const missing = [...new Set(p.affectedTeamIds)].filter((t) => !reviewers.has(t)).length;
  const shared = p.affectedTeamIds.length === 0
    ? entry('shared', p.reviewerTeamIds.length > 0, p.reviewerTeamIds.length > 0 ? null : 'no affected service and no reviewer')
    : missing
      ? entry('shared', false, `${missing} affected team${missing === 1 ? ' has' : 's have'} no reviewer`)
      : entry('shared', true, null);

  return [impact, trigger, factors, actions, shared];
}
