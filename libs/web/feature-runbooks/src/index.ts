export { RunbookPage } from './runbook.page';
export { RunbooksPage } from './runbooks.page';
export { IncidentRunbooksPanel } from './incident-runbooks.panel';
