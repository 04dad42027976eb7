import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage, fieldProblems } from '@hindsight/web-data-access';
import { Alert, Button, ErrorState, formatDateTime, LoadingState, TextField } from '@hindsight/web-ui';
import { ApiTokensQuery, CreateApiToken, RevokeApiToken } from './settings.operations';

export function ApiTokensSection() {
  const { data, error, refetch } = useQuery(ApiTokensQuery);
  const [name, setName] = useState('');
  const [create, creating] = useMutation(CreateApiToken, { refetchQueries: ['ApiTokensSettings'] });
  const [revoke, revoking] = useMutation(RevokeApiToken);
  const [secret, setSecret] = useState<string | null>(null);
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading API tokens…" />;
  const nameError = fieldProblems(creating.error).find((p) => p.field.endsWith('name'))?.message ?? null;
  return (
    <section className="hs-card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="hs-muted">For integrations: send as <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with its owner's role.</p>
      {secret && (
        <Alert tone="warning" title="Copy this token now; it is not shown again:">
          <code data-testid="new-api-token">{secret}</code>
        </Alert>
      )}
      {(creating.error && !nameError) || revoking.error ? <Alert>{errorMessage(creating.error ?? revoking.error)}</Alert> : null}
      {data.apiTokens.length === 0 ? (
        <p className="hs-muted">No API tokens yet.</p>
      ) : (
        <table className="hs-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Owner</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {data.apiTokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.user.name}</td>
                <td>{formatDateTime(t.lastUsedAt)}</td>
                <td>
                  {t.revokedAt ? (
                    `revoked ${formatDateTime(t.revokedAt)}`
                  ) : (
                    <Button variant="danger" onClick={() => void revoke({ variables: { id: t.id } }).catch(() => undefined)}>
                      Revoke {t.name}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="hs-row"
        aria-label="Create an API token"
        onSubmit={(e) => {
          e.preventDefault();
          void create({ variables: { name } }).then((r) => {
            setSecret(r.data?.createApiToken.token ?? null);
            setName('');
          }, () => undefined);
        }}
      >
        <TextField label="Token name" value={name} onChange={(e) => setName(e.target.value)} error={nameError} hint="Where it is used, e.g. alertmanager-bridge" />
        <Button type="submit" busy={creating.loading}>
          Create token
        </Button>
      </form>
    </section>
  );
}
