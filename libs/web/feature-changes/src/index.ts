export { IncidentChangesPanel } from './incident-changes.panel';
export { IncidentChangesQuery } from './changes.operations';
