import { canEditRunbook, RUNBOOK_SECTION_TITLES, RUNBOOK_SECTIONS, type RunbookSection, type RunbookVerdict } from '@hindsight/domain';
import type { SessionUserFragment } from '@hindsight/web-data-access';

export const SECTIONS = RUNBOOK_SECTIONS;
export type Section = RunbookSection;
export const SECTION_TITLES = RUNBOOK_SECTION_TITLES;

export const SECTION_PROMPTS: Record<Section, string> = {
  detection: 'The dashboards, alerts and queries that tell you what is happening.',
  mitigation: 'What stops the harm now, step by step.',
  verification: 'How you know the mitigation worked.',
  escalation: 'Who to call, how, and when it is time to.',
  rollback: 'The last resort, and what it costs.',
  pitfalls: 'What looks right but makes it worse.',
};

export const VERDICT_LABELS: Record<RunbookVerdict, string> = {
  HELPED: 'Helped',
  MISSING_STEPS: 'Missing steps',
  WRONG: 'Wrong',
  OUTDATED: 'Outdated',
  NOT_FOUND: 'Not found when needed',
  NOT_USED: 'Not used',
};

/** The same rule as the API's: the service's team, commanders and administrators edit. */
export function canEdit(user: SessionUserFragment | null | undefined, teamId: string): boolean {
  if (!user) return false;
  return canEditRunbook({ id: user.id, role: user.role, teamIds: user.teams.map((t) => t.id) }, teamId);
}
