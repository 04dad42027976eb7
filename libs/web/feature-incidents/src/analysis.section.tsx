import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { FACTOR_CATEGORIES, SAFEGUARD_KINDS } from '@hindsight/domain';
import { errorMessage, type FactorCategory, type IncidentDetailQuery, type SafeguardKind } from '@hindsight/web-data-access';
import { Badge, Button, SelectField, TextAreaField, TextField } from '@hindsight/web-ui';
import { AddContributingFactor, AddFailedSafeguard, SetFactorTrigger } from './incident.operations';
import { humanize } from './incident.view';
import { FormCard, Section } from './form-card';
import { formProblems } from './problems';

type Incident = NonNullable<IncidentDetailQuery['incident']>;

/** The triggering cause, the contributing factors and the safeguards that did not hold. */
export function AnalysisSection({ incident, editable }: { incident: Incident; editable: boolean }) {
  const trigger = incident.contributingFactors.find((f) => f.isTrigger);
  return (
    <Section id="analysis" title="Analysis">
      <h3>Triggering cause</h3>
      {trigger ? (
        <p>
          <Badge tone="danger">{humanize(trigger.category)}</Badge> <span className="hs-prewrap">{trigger.description}</span>
        </p>
      ) : (
        <p className="hs-muted">Not named yet. Mark a contributing factor as the trigger (a category of “Unknown” is fine until it is found).</p>
      )}
      <h3>Contributing factors</h3>
      {incident.contributingFactors.length === 0 ? (
        <p className="hs-muted">None recorded.</p>
      ) : (
        <ul className="hs-list">
          {incident.contributingFactors.map((f) => (
            <li key={f.id}>
              <Badge tone={f.isTrigger ? 'danger' : 'info'}>{humanize(f.category)}</Badge> {f.isTrigger && <Badge tone="danger">Trigger</Badge>} <span className="hs-prewrap">{f.description}</span>{' '}
              {editable && (f.isTrigger || !trigger) && <TriggerToggle id={f.id} isTrigger={f.isTrigger} description={f.description} />}
            </li>
          ))}
        </ul>
      )}
      <h3>Failed safeguards</h3>
      {incident.failedSafeguards.length === 0 ? (
        <p className="hs-muted">None recorded.</p>
      ) : (
        <ul className="hs-list">
          {incident.failedSafeguards.map((s) => (
            <li key={s.id}>
              <Badge tone="warning">{humanize(s.kind)}</Badge> <strong>Should have:</strong> <span className="hs-prewrap">{s.expectedBehavior}</span> <strong>Did not, because:</strong> <span className="hs-prewrap">{s.whyItFailed}</span>
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <div className="hs-grid-2">
          <AddFactorForm incidentId={incident.id} hasTrigger={!!trigger} />
          <AddSafeguardForm incidentId={incident.id} />
        </div>
      )}
    </Section>
  );
}

/** Exactly one trigger per incident: it is unmarked before another factor can take its place. */
function TriggerToggle({ id, isTrigger, description }: { id: string; isTrigger: boolean; description: string }) {
  const [toggle, { loading, error }] = useMutation(SetFactorTrigger, { refetchQueries: ['IncidentDetail'], awaitRefetchQueries: true });
  const short = description.length > 40 ? `${description.slice(0, 40)}…` : description;
  return (
    <>
      <Button variant="secondary" className="hs-button--small" busy={loading} aria-label={`${isTrigger ? 'Unmark' : 'Mark'} as trigger: ${short}`} onClick={() => void toggle({ variables: { id, isTrigger: !isTrigger } }).catch(() => undefined)}>
        {isTrigger ? 'Unmark as trigger' : 'Mark as trigger'}
      </Button>
      {error && <span className="hs-field__error"> {errorMessage(error)}</span>}
    </>
  );
}

function AddFactorForm({ incidentId, hasTrigger }: { incidentId: string; hasTrigger: boolean }) {
  const [category, setCategory] = useState<FactorCategory>('UNKNOWN');
  const [description, setDescription] = useState('');
  const [isTrigger, setIsTrigger] = useState(false);
  const [add, { loading, error }] = useMutation(AddContributingFactor, { refetchQueries: ['IncidentDetail'], awaitRefetchQueries: true });
  const { at, general } = formProblems(error, ['category', 'description', 'isTrigger']);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await add({ variables: { incidentId, input: { category, description, isTrigger } } }).then(
      () => true,
      () => false,
    );
    if (ok) {
      setDescription('');
      setIsTrigger(false);
    }
  };
  return (
    <FormCard title="Add a contributing factor" onSubmit={onSubmit} general={general}>
      <SelectField label="Category" value={category} onChange={(e) => setCategory(e.target.value as FactorCategory)} options={FACTOR_CATEGORIES.map((c) => ({ value: c, label: humanize(c) }))} error={at('category')} />
      <TextAreaField label="Factor description" value={description} onChange={(e) => setDescription(e.target.value)} error={at('description')} rows={2} />
      <div className="hs-field">
        <label>
          <input type="checkbox" checked={isTrigger} disabled={hasTrigger} onChange={(e) => setIsTrigger(e.target.checked)} aria-describedby="factor-trigger-hint" /> This is the triggering cause
        </label>
        <span id="factor-trigger-hint" className="hs-field__hint">
          {hasTrigger ? 'The incident already has its trigger (exactly one per incident).' : 'Exactly one factor per incident is the trigger.'}
        </span>
        {at('isTrigger') && <span className="hs-field__error">{at('isTrigger')}</span>}
      </div>
      <Button type="submit" busy={loading}>
        Add factor
      </Button>
    </FormCard>
  );
}

function AddSafeguardForm({ incidentId }: { incidentId: string }) {
  const [kind, setKind] = useState<SafeguardKind>('ALERTING');
  const [expectedBehavior, setExpected] = useState('');
  const [whyItFailed, setWhy] = useState('');
  const [add, { loading, error }] = useMutation(AddFailedSafeguard, { refetchQueries: ['IncidentDetail'], awaitRefetchQueries: true });
  const { at, general } = formProblems(error, ['kind', 'expectedBehavior', 'whyItFailed']);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await add({ variables: { incidentId, input: { kind, expectedBehavior, whyItFailed } } }).then(
      () => true,
      () => false,
    );
    if (ok) {
      setExpected('');
      setWhy('');
    }
  };
  return (
    <FormCard title="Add a failed safeguard" onSubmit={onSubmit} general={general}>
      <SelectField label="Safeguard" value={kind} onChange={(e) => setKind(e.target.value as SafeguardKind)} options={SAFEGUARD_KINDS.map((k) => ({ value: k, label: humanize(k) }))} error={at('kind')} />
      <TextField label="What it should have done" value={expectedBehavior} onChange={(e) => setExpected(e.target.value)} error={at('expectedBehavior')} />
      <TextField label="Why it did not" value={whyItFailed} onChange={(e) => setWhy(e.target.value)} error={at('whyItFailed')} />
      <Button type="submit" busy={loading}>
        Add safeguard
      </Button>
    </FormCard>
  );
}
