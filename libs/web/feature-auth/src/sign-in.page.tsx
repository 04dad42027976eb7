import './sign-in.css';
import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage, fieldProblems, graphql, useSession } from '@hindsight/web-data-access';
import { Alert, Button, TextField } from '@hindsight/web-ui';

const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
    }
  }
`);

export function SignInPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [signIn, { loading, error }] = useMutation(SignIn);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (session.user) return <Navigate to={from} replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!email.trim() || !password) {
      setProblem('Enter your email address and password.');
      return;
    }
    try {
      const { data } = await signIn({ variables: { email: email.trim(), password } });
      if (data) {
        await session.signIn(data.login.token);
        navigate(from, { replace: true });
      }
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };

  const fields = fieldProblems(error);
  const fieldError = (name: string) => fields.find((f) => f.field === name)?.message ?? null;

  return (
    <main className="hs-signin">
      <div className="hs-card hs-signin__card">
        <h1>Sign in to Hindsight</h1>
        <p className="hs-signin__lead">Blameless postmortems and the action items that come out of them.</p>
        {problem && <Alert tone="error">{problem}</Alert>}
        <form onSubmit={onSubmit} noValidate>
          <TextField label="Email" type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError('email')} required autoFocus />
          <TextField label="Password" type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError('password')} required />
          <Button type="submit" busy={loading}>
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
