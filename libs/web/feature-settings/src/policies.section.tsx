import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage, fieldProblems } from '@hindsight/web-data-access';
import { Alert, Button, ErrorState, LoadingState, TextField } from '@hindsight/web-ui';
import { PoliciesQuery, UpdatePolicies } from './settings.operations';

const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
type Form = Record<string, string>;

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
      hourlyResponderRate: String(p.hourlyResponderRate),
      personDayCost: String(p.personDayCost),
      runbookReviewDays: String(p.runbookReviewDays),
      fixHoldDays: String(p.fixHoldDays),
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
          hourlyResponderRate: toNumberOrNull(form['hourlyResponderRate']),
          personDayCost: toNumberOrNull(form['personDayCost']),
          runbookReviewDays: toNumberOrNull(form['runbookReviewDays']),
          fixHoldDays: toNumberOrNull(form['fixHoldDays']),
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
        <TextField label="Responder hourly rate" inputMode="decimal" value={form['hourlyResponderRate'] ?? ''} onChange={set('hourlyResponderRate')} error={at('hourlyResponderRate')} />
        <TextField label="Cost of a person-day" inputMode="decimal" value={form['personDayCost'] ?? ''} onChange={set('personDayCost')} error={at('personDayCost')} />
        <TextField
          label="Runbook review, every … days"
          hint="The default for new runbooks; a stale runbook is chased like an overdue item."
          inputMode="numeric"
          value={form['runbookReviewDays'] ?? ''}
          onChange={set('runbookReviewDays')}
          error={at('runbookReviewDays')}
        />
        <TextField
          label="A fix held after … days"
          hint="A done item's fix held when no incident with the same service and factor category (or safeguard kind) followed within this many days."
          inputMode="numeric"
          value={form['fixHoldDays'] ?? ''}
          onChange={set('fixHoldDays')}
          error={at('fixHoldDays')}
        />
      </div>
      <Button type="submit" busy={saving.loading}>
        Save policies
      </Button>
    </form>
  );
}
