import './sign-in.css';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { safeReturnPath, ssoErrorMessage, ssoTabNonce } from '@hindsight/domain';
import { errorMessage, fieldProblems, graphql, useSession } from '@hindsight/web-data-access';
import { Alert, Button, TextField } from '@hindsight/web-ui';

const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
    }
  }
`);

const SignInOptions = graphql(`
  query SignInOptions {
    authProviders {
      id
      name
      loginUrl
    }
    passwordLogin
  }
`);

interface SsoReturn {
  token: string | null;
  error: string | null;
  returnTo: string;
  /** The tab nonce the server handed back with the token. */
  tab: string | null;
}

/** Where a tab keeps the nonce of the sign-in it sent to the provider (this tab only, gone with it). */
const TAB_NONCE_KEY = 'hindsight.sso.tab';

/**
 * What single sign-on left in the address: `#sso_token=…&return=/path&tab=<nonce>` or
 * `#sso_error=<code>` (a fragment, so the token never reached a server log or a Referer). Read
 * once; the caller wipes it from the address and the history.
 */
function readSsoReturn(): SsoReturn | null {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get('sso_token');
  const error = params.get('sso_error');
  if (!token && !error) return null;
  return { token, error, returnTo: safeReturnPath(params.get('return')), tab: params.get('tab') };
}

/** A fresh tab nonce: 128 random bits, base64url. */
function newTabNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The nonce this tab kept when it went to the provider, taken (it serves one return only). */
function takeTabNonce(): string | null {
  const kept = window.sessionStorage.getItem(TAB_NONCE_KEY);
  window.sessionStorage.removeItem(TAB_NONCE_KEY);
  return ssoTabNonce(kept);
}

export function SignInPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sso] = useState(readSsoReturn);
  const [problem, setProblem] = useState<string | null>(() => (sso?.error ? ssoErrorMessage(sso.error) : null));
  // Whether the fragment's token finishes a sign-in this tab started: undecided until we know SSO is on.
  const [ssoAccepted, setSsoAccepted] = useState<boolean | null>(null);
  const [tabNonce] = useState(newTabNonce);
  const [signIn, { loading, error }] = useMutation(SignIn);
  const { data: options } = useQuery(SignInOptions);
  const handled = useRef(false);
  // Where to go next: the page that sent us here, in the router's state or, after a full reload
  // (an expired session), in `?from=` — a path on this site only.
  const from = ssoAccepted && sso ? sso.returnTo : ((location.state as { from?: string } | null)?.from ?? safeReturnPath(new URLSearchParams(location.search).get('from')));

  useEffect(() => {
    if (!sso || handled.current) return;
    if (sso.token && !options) return;
    handled.current = true;
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    const kept = takeTabNonce();
    if (!sso.token) return;
    // A token in the address is taken only to finish a sign-in this tab started (its nonce,
    // kept in sessionStorage, came back with it) and only while single sign-on is on: a link
    // carrying someone else's token must not switch this tab into their account.
    const ssoOn = (options?.authProviders.length ?? 0) > 0;
    const accepted = ssoOn && kept !== null && sso.tab === kept;
    setSsoAccepted(accepted);
    if (accepted) void session.signIn(sso.token);
    else if (!session.user) setProblem(ssoErrorMessage(ssoOn ? 'other-tab' : 'not-configured'));
  }, [sso, session, options]);

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
  const providers = options?.authProviders ?? [];
  const mode = options?.passwordLogin ?? 'ON';

  return (
    <main className="hs-signin">
      <div className="hs-card hs-signin__card">
        <h1>Sign in to Hindsight</h1>
        <p className="hs-signin__lead">Blameless postmortems and the action items that come out of them.</p>
        {problem && <Alert tone="error">{problem}</Alert>}
        {sso?.token && ssoAccepted !== false && !problem && <p role="status">Signing you in…</p>}
        {providers.length > 0 && (
          <div className="hs-signin__providers">
            {providers.map((p) => (
              <a
                key={p.id}
                className="hs-button hs-signin__provider"
                href={`${p.loginUrl}?${new URLSearchParams({ returnTo: from, tab: tabNonce })}`}
                onClick={() => window.sessionStorage.setItem(TAB_NONCE_KEY, tabNonce)}
              >
                Sign in with {p.name}
              </a>
            ))}
          </div>
        )}
        {mode !== 'OFF' && (
          <form onSubmit={onSubmit} noValidate>
            {mode === 'ADMIN_ONLY' && <p className="hs-signin__or">{providers.length > 0 ? 'Or, for administrators only (break-glass), with a password:' : 'Password sign-in is for administrators only.'}</p>}
            {mode === 'ON' && providers.length > 0 && <p className="hs-signin__or">Or with your email and password:</p>}
            <TextField label="Email" type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError('email')} required autoFocus={providers.length === 0} />
            <TextField label="Password" type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError('password')} required />
            <Button type="submit" variant={providers.length > 0 ? 'secondary' : 'primary'} busy={loading}>
              Sign in
            </Button>
          </form>
        )}
      </div>
    </main>
  );
}
