export { IncidentChangesPanel } from './incident-changes.panel';
