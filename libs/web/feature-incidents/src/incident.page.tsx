import './incidents.css';
import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { errorMessage, useSession } from '@hindsight/web-data-access';
import { Badge, Button, EmptyState, ErrorState, formatDate, labelOf, LoadingState } from '@hindsight/web-ui';
import { IncidentRunbooksPanel } from '@hindsight/web-feature-runbooks';
import { IncidentChangesPanel } from '@hindsight/web-feature-changes';
import { IncidentDetail } from './incident.operations';
import { canEditIncidents } from './incident.view';
import { IncidentStatusPicker, RepeatBadge, SeverityBadge, SeverityPicker, StatusBadge } from './badges';
import { EditIncidentForm, IncidentFacts, Milestones } from './incident-details';
import { HypothesesSection, TimelineSection } from './timeline.section';
import { AnalysisSection } from './analysis.section';
import { IncidentActionItemsSection } from './incident-action-items.section';
import { Section } from './form-card';
import { IdeasPanel, IncidentThemesPanel, SimilarIncidentsPanel } from './learning.panels';
import { SlackImportSection } from './slack-import.section';

export function IncidentPage() {
  const { reference = '' } = useParams();
  const { user } = useSession();
  const [editing, setEditing] = useState(false);
  const { data, error, refetch } = useQuery(IncidentDetail, { variables: { reference }, fetchPolicy: 'cache-and-network' });

  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label={`Loading ${reference}…`} />;
  const incident = data.incident;
  if (!incident) {
    return (
      <EmptyState title={`There is no incident ${reference}.`}>
        <Link to="/incidents">Back to incidents</Link>
      </EmptyState>
    );
  }
  const editable = canEditIncidents(user);
  const pm = incident.postmortem;

  return (
    <>
      <nav aria-label="Breadcrumb" className="hs-small">
        <Link to="/incidents">Incidents</Link> / {incident.reference}
      </nav>
      <header className="hs-incident-head">
        <div>
          <h1>
            <span className="hs-ref">{incident.reference}</span> {incident.title}
          </h1>
          <p className="hs-badges">
            {editable ? (
              <>
                <SeverityPicker id={incident.id} severity={incident.severity} /> <IncidentStatusPicker id={incident.id} status={incident.status} />
              </>
            ) : (
              <>
                <SeverityBadge severity={incident.severity} /> <StatusBadge status={incident.status} />
              </>
            )}{' '}
            {incident.isRepeat && <RepeatBadge />}
            {incident.kind === 'NEAR_MISS' && (
              <Badge tone="info" title="No customer impact: analysed like an incident, counted apart">
                Near miss
              </Badge>
            )}
            {incident.services.map((s) => (
              <Badge key={s.id}>{s.name}</Badge>
            ))}
            {incident.segments.map((s) => (
              <Badge key={s} tone="info" title="Customer segment">
                {s}
              </Badge>
            ))}
          </p>
        </div>
        <div className="hs-row">
          {pm && (
            <Link className="hs-button" to={`/incidents/${incident.reference}/postmortem`}>
              {editable && pm.status !== 'PUBLISHED' ? 'Write the postmortem' : 'Read the postmortem'}
            </Link>
          )}
          {editable && !editing && (
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit incident
            </Button>
          )}
        </div>
      </header>
      {pm && (
        <p className="hs-muted">
          Postmortem: {labelOf('PostmortemStatus', pm.status)}
          {pm.dueAt && pm.status !== 'PUBLISHED' ? `, due ${formatDate(pm.dueAt)}` : ''}
        </p>
      )}
      <div className="hs-stack">
        <Section id="overview" title="Overview">
          <Milestones incident={incident} />
          {editing ? <EditIncidentForm incident={incident} onDone={() => setEditing(false)} /> : <IncidentFacts incident={incident} />}
        </Section>
        <IncidentChangesPanel incidentId={incident.id} />
        <TimelineSection incident={incident} editable={editable} />
        {editable && <SlackImportSection incidentId={incident.id} slackChannel={incident.slackChannel} waiting={incident.slackImportWaiting} />}
        <HypothesesSection incident={incident} editable={editable} />
        <AnalysisSection incident={incident} editable={editable} />
        <IncidentRunbooksPanel incidentId={incident.id} />
        <IncidentActionItemsSection incident={incident} />
        <IdeasPanel incidentId={incident.id} editable={editable} />
        <SimilarIncidentsPanel incidentId={incident.id} />
        <IncidentThemesPanel incidentId={incident.id} editable={editable} />
      </div>
    </>
  );
}
