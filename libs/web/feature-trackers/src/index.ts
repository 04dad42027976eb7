export { TrackersSection } from './trackers.section';
export { TrackerLinkPanel } from './tracker-link.panel';
export { IncidentTrackerIssues } from './incident-tracker-issues';
export { TrackerConnectionsQuery } from './trackers.operations';
