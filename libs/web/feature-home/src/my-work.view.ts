import type { WorkUrgency } from '@hindsight/web-data-access';
import type { BadgeTone } from '@hindsight/web-ui';

/** How loud each urgency group looks; the order itself comes from the API (the domain's home urgency rule). */
export const URGENCY_TONE: Record<WorkUrgency, BadgeTone> = {
  OVERDUE_P0: 'danger',
  OVERDUE_P1: 'danger',
  ESCALATED: 'danger',
  EXTENSION_REQUESTED: 'warning',
  OVERDUE: 'warning',
  REVIEW_REQUESTED: 'info',
  POSTMORTEM_PAST_DUE: 'warning',
  DUE_SOON: 'warning',
  UNCLAIMED: 'info',
  OTHER: 'neutral',
  SNOOZED: 'neutral',
};
