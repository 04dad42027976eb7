import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_CHARS } from '@hindsight/domain';
import { useMutation } from '@apollo/client/react';
import { errorMessage, fieldProblems } from '@hindsight/web-data-access';
import { Alert, Button, TextField } from '@hindsight/web-ui';
import { EndUserSessions, ResetUserPassword, UpdateUser } from './settings.operations';

interface Person {
  id: string;
  name: string;
  email: string;
}

/** An ADMIN changes a person's name and e-mail, resets their password, or signs them out everywhere. */
export function PersonManage({ person, isMe }: { person: Person; isMe: boolean }) {
  return (
    <details className="hs-person-manage">
      <summary>Manage {person.name}</summary>
      <div className="hs-stack">
        <ProfileForm person={person} />
        {!isMe && <ResetPasswordForm person={person} />}
        {!isMe && <EndSessionsButton person={person} />}
      </div>
    </details>
  );
}

function ProfileForm({ person }: { person: Person }) {
  const [form, setForm] = useState({ name: person.name, email: person.email });
  const [update, { loading, error, data }] = useMutation(UpdateUser);
  const at = (f: string) => fieldProblems(error).find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void update({ variables: { id: person.id, input: form } }).catch(() => undefined);
  };
  return (
    <form aria-label={`Name and e-mail of ${person.name}`} onSubmit={onSubmit} noValidate>
      {error && fieldProblems(error).length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">Saved.</Alert>}
      <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={at('name')} />
      <TextField label="Email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={at('email')} />
      <Button type="submit" variant="secondary" busy={loading}>
        Save name and e-mail
      </Button>
    </form>
  );
}

function ResetPasswordForm({ person }: { person: Person }) {
  const [password, setPassword] = useState('');
  const [reset, { loading, error, data }] = useMutation(ResetUserPassword);
  const problem = fieldProblems(error).find((p) => p.field === 'temporaryPassword')?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void reset({ variables: { userId: person.id, temporaryPassword: password } }).then(() => setPassword(''), () => undefined);
  };
  return (
    <form aria-label={`Reset the password of ${person.name}`} onSubmit={onSubmit} noValidate>
      {error && !problem && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">Password reset: {person.name} is signed out and must choose a new password after signing in with the temporary one.</Alert>}
      <TextField
        label="Temporary password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN_CHARS} characters, not a common password; tell them in person. They must change it when they next sign in.`}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={problem}
      />
      <Button type="submit" variant="secondary" busy={loading}>
        Reset password
      </Button>
    </form>
  );
}

function EndSessionsButton({ person }: { person: Person }) {
  const [end, { loading, error, data }] = useMutation(EndUserSessions);
  return (
    <div>
      {error && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">{data.endUserSessions === 1 ? '1 session ended.' : `${data.endUserSessions} sessions ended.`}</Alert>}
      <Button variant="secondary" busy={loading} onClick={() => void end({ variables: { userId: person.id } }).catch(() => undefined)}>
        Sign {person.name} out everywhere
      </Button>
    </div>
  );
}
