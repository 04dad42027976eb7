import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { FACTOR_CATEGORIES, SAFEGUARD_KINDS } from '@hindsight/domain';
import { errorMessage, type FactorCategory, type IncidentDetailQuery, type SafeguardKind } from '@hindsight/web-data-access';
import { Badge, Button, enumOptions, labelOf, SelectField, TextAreaField, TextField } from '@hindsight/web-ui';
import {
  AddContributingFactor,
  AddFailedSafeguard,
  DeleteContributingFactor,
  DeleteFailedSafeguard,
  SetFactorTrigger,
  UpdateContributingFactor,
  UpdateFailedSafeguard,
} from './incident.operations';
import { RowActions } from './row-actions';
import { AddPanel } from './add-panel';
import { addToIncident } from './incident.cache';
import { FormButtons, FormCard, Section } from './form-card';
import { formProblems } from './problems';

type Incident = NonNullable<IncidentDetailQuery['incident']>;

/** The triggering cause, the contributing factors and the safeguards that did not hold. */
export function AnalysisSection({ incident, editable }: { incident: Incident; editable: boolean }) {
  const trigger = incident.contributingFactors.find((f) => f.isTrigger);
  // The trigger is told once, under its own heading, not again as the first factor.
  const factors = incident.contributingFactors.filter((f) => !f.isTrigger);
  // One entry is corrected at a time, in place.
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Section id="analysis" title="Analysis">
      <h3>Triggering cause</h3>
      {trigger ? (
        <ul className="hs-list" aria-label="Triggering cause">
          {editing === trigger.id ? (
            <li>
              <EditFactorForm factor={trigger} onClose={() => setEditing(null)} />
            </li>
          ) : (
            <FactorRow factor={trigger} editable={editable} canToggle onEdit={() => setEditing(trigger.id)} />
          )}
        </ul>
      ) : (
        <p className="hs-muted">Not named yet. Mark a contributing factor as the trigger (a category of “Unknown” is fine until it is found).</p>
      )}
      <h3>Contributing factors</h3>
      {factors.length === 0 ? (
        <p className="hs-muted">{trigger ? 'None besides the trigger.' : 'None recorded.'}</p>
      ) : (
        <ul className="hs-list">
          {factors.map((f) =>
            editing === f.id ? (
              <li key={f.id}>
                <EditFactorForm factor={f} onClose={() => setEditing(null)} />
              </li>
            ) : (
              <FactorRow key={f.id} factor={f} editable={editable} canToggle={!trigger} onEdit={() => setEditing(f.id)} />
            ),
          )}
        </ul>
      )}
      <h3>Failed safeguards</h3>
      {incident.failedSafeguards.length === 0 ? (
        <p className="hs-muted">None recorded.</p>
      ) : (
        <ul className="hs-list">
          {incident.failedSafeguards.map((s) =>
            editing === s.id ? (
              <li key={s.id}>
                <EditSafeguardForm safeguard={s} onClose={() => setEditing(null)} />
              </li>
            ) : (
              <li key={s.id}>
                <Badge tone="warning">{labelOf('SafeguardKind', s.kind)}</Badge> <strong>Should have:</strong> <span className="hs-prewrap">{s.expectedBehavior}</span> <strong>Did not, because:</strong> <span className="hs-prewrap">{s.whyItFailed}</span>{' '}
                {editable && <RowActions what="safeguard" id={s.id} name={s.expectedBehavior} typename="FailedSafeguard" deleteMutation={DeleteFailedSafeguard} onEdit={() => setEditing(s.id)} />}
              </li>
            ),
          )}
        </ul>
      )}
      {editable && (
        <div className="hs-row hs-add-row">
          <AddPanel label="Add factor" shortcut="f">
            {() => <AddFactorForm incidentId={incident.id} hasTrigger={!!trigger} />}
          </AddPanel>
          <AddPanel label="Add safeguard" shortcut="s">
            {() => <AddSafeguardForm incidentId={incident.id} />}
          </AddPanel>
        </div>
      )}
    </Section>
  );
}

function FactorRow({ factor: f, editable, canToggle, onEdit }: { factor: Factor; editable: boolean; canToggle: boolean; onEdit: () => void }) {
  return (
    <li>
      <Badge tone={f.isTrigger ? 'danger' : 'info'}>{labelOf('FactorCategory', f.category)}</Badge> {f.isTrigger && <Badge tone="danger">Trigger</Badge>} <span className="hs-prewrap">{f.description}</span>{' '}
      {editable && canToggle && <TriggerToggle id={f.id} isTrigger={f.isTrigger} description={f.description} />}{' '}
      {editable && <RowActions what="factor" id={f.id} name={f.description} typename="ContributingFactor" deleteMutation={DeleteContributingFactor} onEdit={onEdit} />}
    </li>
  );
}

/** Exactly one trigger per incident: it is unmarked before another factor can take its place. */
function TriggerToggle({ id, isTrigger, description }: { id: string; isTrigger: boolean; description: string }) {
  const [toggle, { loading, error }] = useMutation(SetFactorTrigger);
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

type Factor = Incident['contributingFactors'][number];
type Safeguard = Incident['failedSafeguards'][number];

interface FactorValues {
  category: FactorCategory;
  description: string;
  isTrigger: boolean;
}

/** A factor's fields; the trigger checkbox only when adding (an existing factor is marked with its own button). */
function FactorForm({ title, initial, submitLabel, busy, error, hasTrigger, onSave, onCancel }: { title: string; initial: FactorValues; submitLabel: string; busy: boolean; error: unknown; hasTrigger?: boolean; onSave: (v: FactorValues) => Promise<boolean>; onCancel?: () => void }) {
  const [values, setValues] = useState(initial);
  const set = (patch: Partial<FactorValues>) => setValues((v) => ({ ...v, ...patch }));
  const { at, general } = formProblems(error, ['category', 'description', 'isTrigger']);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if ((await onSave(values)) && !onCancel) set({ description: '', isTrigger: false });
  };
  return (
    <FormCard title={title} onSubmit={onSubmit} general={general}>
      <SelectField label="Category" value={values.category} onChange={(e) => set({ category: e.target.value as FactorCategory })} options={enumOptions('FactorCategory', FACTOR_CATEGORIES)} error={at('category')} />
      <TextAreaField label="Factor description" value={values.description} onChange={(e) => set({ description: e.target.value })} error={at('description')} rows={2} />
      {hasTrigger !== undefined && (
        <div className="hs-field">
          <label>
            <input type="checkbox" checked={values.isTrigger} disabled={hasTrigger} onChange={(e) => set({ isTrigger: e.target.checked })} aria-describedby="factor-trigger-hint" /> This is the triggering cause
          </label>
          <span id="factor-trigger-hint" className="hs-field__hint">
            {hasTrigger ? 'The incident already has its trigger (exactly one per incident).' : 'Exactly one factor per incident is the trigger.'}
          </span>
          {at('isTrigger') && <span className="hs-field__error">{at('isTrigger')}</span>}
        </div>
      )}
      <FormButtons submitLabel={submitLabel} busy={busy} onCancel={onCancel} />
    </FormCard>
  );
}

function AddFactorForm({ incidentId, hasTrigger }: { incidentId: string; hasTrigger: boolean }) {
  const [add, { loading, error }] = useMutation(AddContributingFactor, { update: (cache, { data }) => addToIncident(cache, incidentId, 'contributingFactors', data?.addContributingFactor) });
  return (
    <FactorForm
      title="Add a contributing factor"
      submitLabel="Add factor"
      initial={{ category: 'UNKNOWN', description: '', isTrigger: false }}
      hasTrigger={hasTrigger}
      busy={loading}
      error={error}
      onSave={(v) => add({ variables: { incidentId, input: v } }).then(() => true, () => false)}
    />
  );
}

function EditFactorForm({ factor, onClose }: { factor: Factor; onClose: () => void }) {
  const [update, { loading, error }] = useMutation(UpdateContributingFactor);
  return (
    <FactorForm
      title="Correct this factor"
      submitLabel="Save factor"
      initial={{ category: factor.category, description: factor.description, isTrigger: factor.isTrigger }}
      busy={loading}
      error={error}
      onCancel={onClose}
      onSave={async (v) => {
        const ok = await update({ variables: { id: factor.id, input: { category: v.category, description: v.description } } }).then(() => true, () => false);
        if (ok) onClose();
        return ok;
      }}
    />
  );
}

interface SafeguardValues {
  kind: SafeguardKind;
  expectedBehavior: string;
  whyItFailed: string;
}

function SafeguardForm({ title, initial, submitLabel, busy, error, onSave, onCancel }: { title: string; initial: SafeguardValues; submitLabel: string; busy: boolean; error: unknown; onSave: (v: SafeguardValues) => Promise<boolean>; onCancel?: () => void }) {
  const [values, setValues] = useState(initial);
  const set = (patch: Partial<SafeguardValues>) => setValues((v) => ({ ...v, ...patch }));
  const { at, general } = formProblems(error, ['kind', 'expectedBehavior', 'whyItFailed']);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if ((await onSave(values)) && !onCancel) set({ expectedBehavior: '', whyItFailed: '' });
  };
  return (
    <FormCard title={title} onSubmit={onSubmit} general={general}>
      <SelectField label="Safeguard" value={values.kind} onChange={(e) => set({ kind: e.target.value as SafeguardKind })} options={enumOptions('SafeguardKind', SAFEGUARD_KINDS)} error={at('kind')} />
      <TextField label="What it should have done" value={values.expectedBehavior} onChange={(e) => set({ expectedBehavior: e.target.value })} error={at('expectedBehavior')} />
      <TextField label="Why it did not" value={values.whyItFailed} onChange={(e) => set({ whyItFailed: e.target.value })} error={at('whyItFailed')} />
      <FormButtons submitLabel={submitLabel} busy={busy} onCancel={onCancel} />
    </FormCard>
  );
}

function AddSafeguardForm({ incidentId }: { incidentId: string }) {
  const [add, { loading, error }] = useMutation(AddFailedSafeguard, { update: (cache, { data }) => addToIncident(cache, incidentId, 'failedSafeguards', data?.addFailedSafeguard) });
  return (
    <SafeguardForm
      title="Add a failed safeguard"
      submitLabel="Add safeguard"
      initial={{ kind: 'ALERTING', expectedBehavior: '', whyItFailed: '' }}
      busy={loading}
      error={error}
      onSave={(v) => add({ variables: { incidentId, input: v } }).then(() => true, () => false)}
    />
  );
}

function EditSafeguardForm({ safeguard, onClose }: { safeguard: Safeguard; onClose: () => void }) {
  const [update, { loading, error }] = useMutation(UpdateFailedSafeguard);
  return (
    <SafeguardForm
      title="Correct this safeguard"
      submitLabel="Save safeguard"
      initial={{ kind: safeguard.kind, expectedBehavior: safeguard.expectedBehavior, whyItFailed: safeguard.whyItFailed }}
      busy={loading}
      error={error}
      onCancel={onClose}
      onSave={async (v) => {
        const ok = await update({ variables: { id: safeguard.id, input: v } }).then(() => true, () => false);
        if (ok) onClose();
        return ok;
      }}
    />
  );
}
