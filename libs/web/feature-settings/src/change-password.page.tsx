import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_CHARS } from '@hindsight/domain';
import { useMutation } from '@apollo/client/react';
import { errorMessage, fieldProblems, useSession } from '@hindsight/web-data-access';
import { Alert, Button, PageHeader, TextField } from '@hindsight/web-ui';
import { ChangePassword } from './settings.operations';

/** Anyone signed in changes their own password; their other sessions end, this one stays. */
export function ChangePasswordPage() {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' });
  const { user } = useSession();
  // A changed password lifts the shell's "change your password first": the flag is cleared in the cache, no need to read `me` again.
  const [change, { loading, error, data }] = useMutation(ChangePassword, {
    update: (cache, { data: changed }) => {
      if (changed?.changePassword && user) cache.modify({ id: cache.identify({ __typename: 'User', id: user.id }), fields: { mustChangePassword: () => false } });
    },
  });
  const at = (f: string) => fieldProblems(error).find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void change({ variables: form }).then(() => setForm({ currentPassword: '', newPassword: '' }), () => undefined);
  };
  return (
    <>
      <PageHeader title="Change password" description="Your other sessions are signed out; this one stays." />
      <form className="hs-card" aria-label="Change password" onSubmit={onSubmit} noValidate>
        {user?.mustChangePassword && !data && (
          <Alert tone="warning" title="Choose a new password.">
            An administrator reset your password. If not, yours no longer meets the rule for passwords ({PASSWORD_MIN_CHARS} characters or more, not a common one). Enter
            your current password, then a new one; the rest of Hindsight opens once it is changed.
          </Alert>
        )}
        {error && fieldProblems(error).length === 0 && <Alert>{errorMessage(error)}</Alert>}
        {data?.changePassword && !error && <Alert tone="success">Password changed. Your other sessions were signed out.</Alert>}
        <TextField label="Current password" type="password" autoComplete="current-password" value={form.currentPassword} onChange={(e) => setForm({ ...form, currentPassword: e.target.value })} error={at('currentPassword')} required />
        <TextField label="New password" type="password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN_CHARS} characters, and not a common password: a few unrelated words are easy to remember.`} value={form.newPassword} onChange={(e) => setForm({ ...form, newPassword: e.target.value })} error={at('newPassword')} required />
        <Button type="submit" busy={loading}>
          Change password
        </Button>
      </form>
    </>
  );
}
