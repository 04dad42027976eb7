import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_CHARS } from '@hindsight/domain';
import { useMutation, useQuery } from '@apollo/client/react';
import { appendToList, errorMessage, fieldProblems, useSession, type Role } from '@hindsight/web-data-access';
import { Alert, Badge, Button, enumOptions, ErrorState, LoadingState, SelectField, TextField, Table } from '@hindsight/web-ui';
import { PersonManage } from './person-manage';
import { CreateUser, SetUserActive, SetUserRole, UsersQuery } from './settings.operations';

const ROLES: Role[] = ['VIEWER', 'COMMANDER', 'MANAGER', 'ADMIN'];

export function UsersSection() {
  const { user: me } = useSession();
  const { data, error, refetch } = useQuery(UsersQuery);
  // Deactivation unassigns the person's open items: lists showing them must be read again.
  const [setActive, toggling] = useMutation(SetUserActive, { refetchQueries: 'active' });
  const [setRole, changingRole] = useMutation(SetUserRole);
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading people…" />;
  return (
    <section className="hs-card" aria-labelledby="users-heading">
      <h2 id="users-heading">People</h2>
      {toggling.error && <Alert>{errorMessage(toggling.error)}</Alert>}
      {toggling.data && !toggling.error && (
        <Alert tone="success">
          {toggling.data.setUserActive.active
            ? `${toggling.data.setUserActive.name} can sign in again (their old sessions and API tokens stay ended).`
            : `${toggling.data.setUserActive.name} is deactivated: signed out everywhere, API tokens revoked, open items unassigned and sent to their team's manager.`}
        </Alert>
      )}
      {changingRole.error && <Alert>{errorMessage(changingRole.error)}</Alert>}
      <Table
        label="People"
        rows={data.users}
        rowKey={(u) => u.id}
        columns={[
          { key: 'name', header: 'Name', render: (u) => u.name, sortValue: (u) => u.name },
          { key: 'email', header: 'Email', render: (u) => u.email, sortValue: (u) => u.email },
          {
            key: 'role',
            header: 'Role',
            render: (u) => (
              <SelectField
                label={`Role of ${u.name}`}
                value={u.role}
                disabled={changingRole.loading}
                onChange={(e) => void setRole({ variables: { userId: u.id, role: e.target.value as Role } }).catch(() => undefined)}
                options={enumOptions('Role', ROLES)}
              />
            ),
            sortValue: (u) => u.role,
          },
          {
            key: 'status',
            header: 'Status',
            render: (u) => (
              <>
                {u.active ? <Badge tone="ok">active</Badge> : <Badge>deactivated</Badge>} {u.mustChangePassword && <Badge tone="warning">must change password</Badge>}
              </>
            ),
            sortValue: (u) => (u.active ? 0 : 1),
          },
          {
            key: 'action',
            header: <span className="hs-muted">Action</span>,
            label: '',
            render: (u) => (
              <>
                {u.id !== me?.id && (
                  <Button variant="secondary" onClick={() => void setActive({ variables: { userId: u.id, active: !u.active } }).catch(() => undefined)}>
                    {u.active ? `Deactivate ${u.name}` : `Reactivate ${u.name}`}
                  </Button>
                )}
                <PersonManage person={u} isMe={u.id === me?.id} />
              </>
            ),
          },
        ]}
      />
      <CreateUserForm />
    </section>
  );
}

function CreateUserForm() {
  const [form, setForm] = useState({ name: '', email: '', role: 'COMMANDER' as Role, password: '' });
  const [create, { loading, error, data }] = useMutation(CreateUser, { update: (cache, { data: created }) => appendToList(cache, 'ROOT_QUERY', 'users', created?.createUser) });
  const at = (f: string) => fieldProblems(error).find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create({ variables: { input: form } }).then(() => setForm({ name: '', email: '', role: 'COMMANDER', password: '' }), () => undefined);
  };
  return (
    <form aria-labelledby="new-user" onSubmit={onSubmit} noValidate>
      <h3 id="new-user">Add a person</h3>
      {error && fieldProblems(error).length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">{data.createUser.name} can now sign in.</Alert>}
      <div className="hs-row">
        <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={at('name')} />
        <TextField label="Email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={at('email')} />
        <SelectField label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} options={enumOptions('Role', ROLES)} />
        <TextField label="Initial password" type="password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN_CHARS} characters, not a common password.`} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} error={at('password')} />
      </div>
      <Button type="submit" busy={loading}>
        Add person
      </Button>
    </form>
  );
}
