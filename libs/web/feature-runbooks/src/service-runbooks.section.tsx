import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { useNavigate, Link } from 'react-router';
import { fieldProblems, useSession } from '@hindsight/web-data-access';
import { Badge, Button, formatDate, TextField } from '@hindsight/web-ui';
import { CreateRunbook } from './runbooks.operations';
import { canEdit } from './runbook.view';

export interface ServiceRunbookSummary {
  id: string;
  title: string;
  isStale: boolean;
  reviewDueAt: string;
  version: number;
}

/**
 * The Runbooks part of a service card: each runbook with its freshness (loaded with the
 * services page through Service.runbooks, one request for every card), and a new one.
 */
export function ServiceRunbooks({ serviceId, teamId, serviceName, runbooks }: { serviceId: string; teamId: string; serviceName: string; runbooks: readonly ServiceRunbookSummary[] }) {
  const { user } = useSession();
  const [title, setTitle] = useState('');
  const [create, creating] = useMutation(CreateRunbook);
  const navigate = useNavigate();
  const editable = canEdit(user, teamId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const res = await create({ variables: { serviceId, input: { title } } });
      if (res.data) await navigate(`/runbooks/${res.data.createRunbook.id}`);
    } catch {
      // Shown below from the mutation's state.
    }
  };

  return (
    <div className="hs-service-runbooks" data-testid={`runbooks-${serviceId}`}>
      <h3>Runbooks</h3>
      {runbooks.length === 0 && <p className="hs-muted">No runbooks yet.</p>}
      {runbooks.length > 0 && (
        <ul className="hs-list">
          {runbooks.map((r) => (
            <li key={r.id}>
              <Link to={`/runbooks/${r.id}`}>{r.title}</Link> {r.isStale ? <Badge tone="warning">Review due</Badge> : <Badge tone="ok">Reviewed</Badge>}{' '}
              <span className="hs-muted">
                version {r.version}, next review by {formatDate(r.reviewDueAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form className="hs-row" onSubmit={(e) => void submit(e)} noValidate aria-label={`New runbook for ${serviceName}`}>
          <TextField label="New runbook title" value={title} onChange={(e) => setTitle(e.target.value)} error={fieldProblems(creating.error).find((p) => p.field === 'input.title')?.message} />
          <Button type="submit" variant="secondary" busy={creating.loading}>
            Add runbook
          </Button>
        </form>
      )}
    </div>
  );
}
