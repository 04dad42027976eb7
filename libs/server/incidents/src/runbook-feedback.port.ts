/** One runbook verdict recorded for an incident, as the postmortem document shows it. */
export interface IncidentRunbookFeedback {
  runbook: string;
  service: string;
  verdict: string;
  note: string | null;
}

/**
 * What the postmortem export needs from runbooks: runbooks depend on incidents
 * (RunbookFeedback.incident), so incidents cannot import them; the runbooks module plugs itself
 * in here instead (RunbooksService.onModuleInit). Without it the section is empty.
 */
export interface RunbookFeedbackPort {
  /** The incident's runbook feedback, oldest first. */
  feedbackOfIncident(incidentId: string): Promise<IncidentRunbookFeedback[]>;
}
