import * as domain from './index';

// The public surface other libraries build on; removing a name here is a breaking change.
const FUNCTIONS = [
  'hasAtLeast', 'canEditActionItem', 'isOneOf', 'isValidDate', 'addDays', 'formatUtc',
  'checkTitle', 'checkText', 'checkHttpUrl', 'checkEmail', 'checkNumber', 'checkEnum', 'checkDate', 'checkRequired', 'collectErrors', 'slugify', 'uniqueSlug',
  'validateUserInput', 'validateTeamInput', 'validateServiceInput', 'validateSloInput', 'validateChannelInput', 'normaliseEmail', 'passwordProblem', 'passwordMeetsPolicy', 'passwordField',
  'postmortemDueAt', 'actionItemDueAt', 'validatePolicies', 'withDefaultPolicies',
  'validateMilestoneOrder', 'incidentDurations', 'incidentCost', 'incidentCostBreakdown', 'outageMinutes', 'isRepeat', 'formatReference', 'parseReference',
  'validateIncidentInput', 'validateTimelineEventInput', 'validateContributingFactorInput', 'validateFailedSafeguardInput', 'validateHypothesisDecision',
  'validateStatusChange', 'completedAtAfter', 'isOpenStatus', 'isOverdue', 'daysOverdue', 'validateSnooze', 'isSnoozed', 'validateDueDateChange',
  'riceScore', 'validateRiceInputs', 'actionItemRoi', 'averageIncidentCost', 'validateActionItemInput',
  'publishBlockers', 'canTransitionPostmortem', 'applyReviewRequest', 'validateReviewRequest', 'validateReviewVerdict', 'validatePostmortemInput', 'isStaleVersion',
  'ladderDecision', 'postmortemLadderDecision', 'stepThresholds', 'stepTime', 'earliestStepTime', 'latestDueAtNeedingAction', 'nextLadderTime',
  'ladderRecipients', 'postmortemLadderRecipients', 'nudgeMessage', 'nudgeWebhookPayload',
  'validateExtensionRequest', 'extensionDecisionRefusal', 'dueDateAnswer', 'canClaimActionItem', 'nudgeActions', 'notificationEmailHtml', 'extensionMessage',
  'percentileCont', 'distributionStats', 'periodStart', 'periodsBetween', 'bucketByPeriod', 'errorBudget', 'countsAgainstSlo',
  'actionItemHealth', 'timeToCloseByPriority', 'postmortemsPublishedOnTimeRate', 'severityCounts', 'topFactorCategories',
  'blamelessReview',
  'periodDelta', 'previousRange', 'overdueCountsAt', 'detectChanges', 'mannWhitneyU', 'forecastMonthlyCounts',
  'parseChangePayload', 'isProductionEnvironment', 'changeWindow', 'validateServiceAliases',
] as const;

describe('@hindsight/domain public API', () => {
  it.each(FUNCTIONS.map((f) => [f]))('exports %s', (name) => {
    expect(typeof (domain as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports the contract enums and default policies', () => {
    expect(domain.SEVERITIES).toHaveLength(4);
    expect(domain.LADDER_STEPS).toHaveLength(5);
    expect(domain.ROLES).toHaveLength(4);
    expect(domain.DEFAULT_POLICIES.actionItemDueDays.P0).toBe(7);
  });
});
