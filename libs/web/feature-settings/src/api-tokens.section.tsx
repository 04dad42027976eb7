import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { appendToList, errorMessage, fieldProblems, useSession, type ApiTokensSettingsQuery } from '@hindsight/web-data-access';
import { Alert, Badge, Button, ErrorState, formatDateTime, labelOf, LoadingState, SelectField, Table, TextField } from '@hindsight/web-ui';
import { ApiTokensQuery, CreateApiToken, RevokeApiToken } from './settings.operations';

type Scope = 'READ_ONLY' | 'READ_WRITE' | 'SCIM';
type Token = ApiTokensSettingsQuery['apiTokens'][number];

const SCOPES: { value: Scope; label: string; adminOnly?: boolean }[] = [
  { value: 'READ_ONLY', label: 'Read only' },
  { value: 'READ_WRITE', label: 'Read and write' },
  { value: 'SCIM', label: 'SCIM provisioning only', adminOnly: true },
];

const EXPIRY = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: '', label: 'Never' },
] as const;

/**
 * API tokens. In Settings an ADMIN sees and revokes everyone's (`everyone`); on "Your API
 * tokens" each person sees and creates their own. A token acts with its owner's role, within
 * its scope, until it expires or is revoked.
 */
export function ApiTokensSection({ everyone = false }: { everyone?: boolean }) {
  const { user } = useSession();
  const { data, error, refetch } = useQuery(ApiTokensQuery);
  const [form, setForm] = useState<{ name: string; scope: Scope; expiresInDays: string }>({ name: '', scope: 'READ_ONLY', expiresInDays: '90' });
  const [create, creating] = useMutation(CreateApiToken, { update: (cache, { data }) => appendToList(cache, 'ROOT_QUERY', 'apiTokens', data?.createApiToken.apiToken) });
  const [revoke, revoking] = useMutation(RevokeApiToken);
  const [secret, setSecret] = useState<string | null>(null);
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading API tokens…" />;
  const at = (f: string) => fieldProblems(creating.error).find((p) => p.field.endsWith(f))?.message ?? null;
  const tokens: Token[] = everyone ? data.apiTokens : data.apiTokens.filter((t) => t.user.id === user?.id);
  const scopes = SCOPES.filter((s) => !s.adminOnly || user?.role === 'ADMIN');
  const onCreate = () => {
    const expiresAt = form.expiresInDays ? new Date(Date.now() + Number(form.expiresInDays) * 86_400_000).toISOString() : null;
    void create({ variables: { name: form.name, scope: form.scope, expiresAt } }).then((r) => {
      setSecret(r.data?.createApiToken.token ?? null);
      setForm({ ...form, name: '' });
    }, () => undefined);
  };
  const fieldError = at('name') ?? at('scope') ?? at('expiresAt');
  return (
    <section className="hs-card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{everyone ? 'API tokens' : 'Your API tokens'}</h2>
      <p className="hs-muted">
        For integrations: send as <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with {everyone ? "its owner's" : 'your'} role, within its scope: read only,
        read and write, or (ADMINs) SCIM provisioning only.
      </p>
      {secret && (
        <Alert tone="warning" title="Copy this token now; it is not shown again:">
          <code data-testid="new-api-token">{secret}</code>
        </Alert>
      )}
      {(creating.error && !fieldError) || revoking.error ? <Alert>{errorMessage(creating.error ?? revoking.error)}</Alert> : null}
      {tokens.length === 0 ? (
        <p className="hs-muted">No API tokens yet.</p>
      ) : (
        <Table
          label={everyone ? 'API tokens' : 'Your API tokens'}
          rows={tokens}
          rowKey={(t) => t.id}
          columns={[
            { key: 'name', header: 'Name', render: (t) => t.name, sortValue: (t) => t.name },
            { key: 'prefix', header: 'Starts with', render: (t) => <code>{t.prefix}…</code> },
            ...(everyone ? [{ key: 'owner', header: 'Owner', render: (t: Token) => t.user.name, sortValue: (t: Token) => t.user.name }] : []),
            { key: 'scope', header: 'Scope', render: (t) => <Badge tone={t.scope === 'READ_ONLY' ? 'neutral' : 'info'}>{labelOf('ApiTokenScope', t.scope)}</Badge> },
            { key: 'expires', header: 'Expires', render: (t) => (t.expiresAt ? formatDateTime(t.expiresAt) : 'Never'), sortValue: (t) => t.expiresAt ?? null },
            { key: 'used', header: 'Last used', render: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never used'), sortValue: (t) => t.lastUsedAt ?? null },
            {
              key: 'state',
              header: 'State',
              render: (t) => {
                const expired = !t.revokedAt && t.expiresAt !== null && t.expiresAt !== undefined && new Date(t.expiresAt).getTime() <= Date.now();
                return t.revokedAt ? (
                  `revoked ${formatDateTime(t.revokedAt)}`
                ) : expired ? (
                  'expired'
                ) : (
                  <Button variant="danger" onClick={() => void revoke({ variables: { id: t.id } }).catch(() => undefined)}>
                    Revoke {t.name}
                  </Button>
                );
              },
            },
          ]}
        />
      )}
      <form
        className="hs-row"
        aria-label="Create an API token"
        onSubmit={(e) => {
          e.preventDefault();
          onCreate();
        }}
      >
        <TextField label="Token name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={at('name')} hint="Where it is used, e.g. alertmanager-bridge" />
        <SelectField label="Scope" value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value as Scope })} options={scopes} error={at('scope')} />
        <SelectField label="Expires" value={form.expiresInDays} onChange={(e) => setForm({ ...form, expiresInDays: e.target.value })} options={EXPIRY} error={at('expiresAt')} />
        <Button type="submit" busy={creating.loading}>
          Create token
        </Button>
      </form>
    </section>
  );
}
