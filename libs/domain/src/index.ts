/*
 * @hindsight/domain — Hindsight's rules as pure functions of plain data and an injected
 * clock (`now`). No I/O, no framework: the server, the worker and the web app all call the
 * same rules, and every edge is unit-tested. See README.md for the decisions taken.
 */
export * from './identity/roles.policy';
export * from './identity/session-lifetimes.policy';
export * from './identity/scim.rules';
export * from './identity/sso.rules';
export * from './identity/email.rules';
export * from './identity/password.policy';
export * from './identity/sign-in-limits.policy';
export * from './identity/api-token.rules';
export * from './enums/contract.enums';
export * from './time/time.util';

export * from './validation/fields.validation';
export * from './markdown/markdown.escape';
export * from './validation/slug.validation';
export * from './validation/catalog.validation';

export * from './policies/policies.policy';

export * from './incidents/milestones.rule';
export * from './incidents/cost.metric';
export * from './incidents/repeat.rule';
export * from './incidents/reference.format';
export * from './incidents/incident.validation';
export * from './incidents/alert-payload.parse';

export * from './changes/change.rules';
export * from './changes/change-payload.parse';

export * from './action-items/status.rule';
export * from './action-items/overdue.rule';
export * from './action-items/snooze.rule';
export * from './action-items/rice.metric';
export * from './action-items/roi.metric';
export * from './action-items/action-item.validation';
export * from './action-items/extension.rule';
export * from './action-items/commitment.rule';

export * from './postmortems/publish.rule';
export * from './postmortems/workflow.rule';
export * from './postmortems/postmortem.validation';

export * from './chase/ladder.policy';
export * from './chase/recipients.policy';
export * from './chase/nudge.message';
export * from './chase/channel.rules';
export * from './chase/slack.message';
export * from './chase/digest.message';
export * from './chase/nudge-actions.policy';
export * from './chase/email.html';
export * from './chase/extension.message';
export * from './chase/channel.message';
export * from './chase/teams.card';
export * from './chase/delivery-failure.rules';

export * from './metrics/percentiles.metric';
export * from './metrics/report-metrics.metric';
export * from './metrics/periods.metric';
export * from './metrics/error-budget.metric';
export * from './metrics/action-item-health.metric';
export * from './metrics/postmortem-timeliness.metric';
export * from './metrics/counts.metric';
export * from './metrics/reliability-report.metric';
export * from './metrics/cost-savings.metric';
export * from './metrics/nudge-response.metric';
export * from './metrics/review-deltas.metric';
export * from './metrics/change-detection.metric';
export * from './metrics/forecast.metric';
export * from './metrics/small-sample.metric';
export * from './metrics/dora.metric';

export { blamelessReview } from './language/blameless.review';
export type { LanguageFinding } from './language/blameless.review';
export { BLAMELESS_RULES, SUGGESTIONS as BLAMELESS_SUGGESTIONS } from './language/blameless.rules';
export type { BlamelessRule, BlamelessRuleId } from './language/blameless.rules';

export * from './trackers/tracker.rules';

export * from './outbound/outbound-address.rules';

export * from './runbooks/runbook.rules';
export * from './runbooks/runbook.diff';
export * from './runbooks/runbook-report.metric';

export * from './postmortems/comment.rules';
export * from './postmortems/postmortem.document';
export * from './search/search.rules';
export * from './work/work-queue.rule';
export * from './chase/escalation.history';

export * from './drafts/postmortem-draft.rules';
export * from './learning/similarity.rule';
export * from './learning/fix-outcome.metric';
export * from './learning/themes.metric';
export * from './learning/checklist.rule';
