export { RunbookPage } from './runbook.page';
export { ServiceRunbooks } from './service-runbooks.section';
export { IncidentRunbooksPanel } from './incident-runbooks.panel';
