import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage, fieldProblems } from '@hindsight/web-data-access';
import { Alert, Button, ErrorState, LoadingState, TextField } from '@hindsight/web-ui';
import { PoliciesQuery, UpdatePolicies } from './settings.operations';

const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
type Form = Record<string, string>;
type Figure = 'hourlyResponderRate' | 'personDayCost' | 'runbookReviewDays' | 'fixHoldDays';

/** The single-figure policies, in the order the form shows them. */
const FIGURES: { key: Figure; label: string; inputMode: 'numeric' | 'decimal'; hint?: string }[] = [
  { key: 'hourlyResponderRate', label: 'Responder hourly rate', inputMode: 'decimal' },
  { key: 'personDayCost', label: 'Cost of a person-day', inputMode: 'decimal' },
  { key: 'runbookReviewDays', label: 'Runbook review, every … days', inputMode: 'numeric', hint: 'The default for new runbooks; a stale runbook is chased like an overdue item.' },
  {
    key: 'fixHoldDays',
    label: 'A fix held after … days',
    inputMode: 'numeric',
    hint: "A done item's fix held when no incident with the same service and factor category (or safeguard kind) followed within this many days.",
  },
];

const toNumberOrNull = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : Number(v));

export function PoliciesSection() {
  const { data, error, refetch } = useQuery(PoliciesQuery);
  const [form, setForm] = useState<Form>({});
  // The policies have no id to update by: the saved figures are written over the query's.
  const [save, saving] = useMutation(UpdatePolicies, { update: (cache, { data: saved }) => saved && cache.writeQuery({ query: PoliciesQuery, data: { policies: saved.updatePolicies } }) });

  useEffect(() => {
    if (!data) return;
    const p = data.policies;
    setForm({
      ...Object.fromEntries(FIGURES.map((f) => [f.key, String(p[f.key])])),
      ...Object.fromEntries(SEVERITIES.map((s) => [s, p.postmortemDueDays[s] === null || p.postmortemDueDays[s] === undefined ? '' : String(p.postmortemDueDays[s])])),
      ...Object.fromEntries(PRIORITIES.map((x) => [x, String(p.actionItemDueDays[x])])),
    });
  }, [data]);

  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading policies…" />;

  const problems = fieldProblems(saving.error);
  const at = (suffix: string) => problems.find((p) => p.field.endsWith(suffix))?.message ?? null;
  const set = (key: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save({
      variables: {
        input: {
          ...Object.fromEntries(FIGURES.map((f) => [f.key, toNumberOrNull(form[f.key])])),
          postmortemDueDays: Object.fromEntries(SEVERITIES.map((s) => [s, toNumberOrNull(form[s])])),
          actionItemDueDays: Object.fromEntries(PRIORITIES.map((x) => [x, toNumberOrNull(form[x])])),
        },
      },
    }).catch(() => undefined);
  };

  return (
    <form className="hs-card" aria-labelledby="policies-heading" onSubmit={onSubmit} noValidate>
      <h2 id="policies-heading">Policies</h2>
      <p className="hs-muted">Deadlines the reminder ladder chases, and the rates used for incident cost and action-item ROI.</p>
      {saving.error && problems.length === 0 && <Alert>{errorMessage(saving.error)}</Alert>}
      {saving.data && !saving.error && <Alert tone="success">Policies saved. New deadlines use them from now on.</Alert>}
      <fieldset>
        <legend>Postmortem due, days after resolution (empty: not required)</legend>
        <div className="hs-row">
          {SEVERITIES.map((s) => (
            <TextField key={s} label={s} inputMode="numeric" value={form[s] ?? ''} onChange={set(s)} error={at(`.${s}`)} />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Action item due, days after creation</legend>
        <div className="hs-row">
          {PRIORITIES.map((x) => (
            <TextField key={x} label={x} inputMode="numeric" value={form[x] ?? ''} onChange={set(x)} error={at(`.${x}`)} />
          ))}
        </div>
      </fieldset>
      <div className="hs-row">
        {FIGURES.map((f) => (
          <TextField key={f.key} label={f.label} hint={f.hint} inputMode={f.inputMode} value={form[f.key] ?? ''} onChange={set(f.key)} error={at(f.key)} />
        ))}
      </div>
      <Button type="submit" busy={saving.loading}>
        Save policies
      </Button>
    </form>
  );
}
