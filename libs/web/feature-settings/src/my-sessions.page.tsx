import { useMutation, useQuery } from '@apollo/client/react';
import { useNavigate } from 'react-router';
import { errorMessage, useSession } from '@hindsight/web-data-access';
import { Alert, Badge, Button, ErrorState, formatDateTime, LoadingState, PageHeader } from '@hindsight/web-ui';
import { EndSession, MySessions, SignOutEverywhere } from './settings.operations';

/** The signed-in person's sessions (browsers and devices): end one, or sign out everywhere. */
export function MySessionsPage() {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(MySessions, { fetchPolicy: 'network-only' });
  const [end, ending] = useMutation(EndSession, { refetchQueries: ['MySessions'] });
  const [everywhere, leaving] = useMutation(SignOutEverywhere);
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading your sessions…" />;

  const leaveAll = async (keepCurrent: boolean) => {
    await everywhere({ variables: { keepCurrent } }).catch(() => undefined);
    if (keepCurrent) await refetch();
    else {
      await signOut();
      navigate('/signin', { replace: true });
    }
  };
  const others = data.mySessions.filter((s) => !s.current).length;
  return (
    <>
      <PageHeader title="Your sessions" description="Where you are signed in. End any you do not recognise." />
      <section className="hs-card" aria-labelledby="my-sessions-heading">
        <h2 id="my-sessions-heading">Signed in on {data.mySessions.length === 1 ? '1 browser or device' : `${data.mySessions.length} browsers or devices`}</h2>
        {(ending.error ?? leaving.error) && <Alert>{errorMessage(ending.error ?? leaving.error)}</Alert>}
        {leaving.data && !leaving.error && <Alert tone="success">{leaving.data.signOutEverywhere === 1 ? '1 other session ended.' : `${leaving.data.signOutEverywhere} other sessions ended.`}</Alert>}
        <table className="hs-table">
          <thead>
            <tr>
              <th scope="col">Browser or device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="hs-muted">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.mySessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.userAgent ?? <span className="hs-muted">unknown</span>} {s.current && <Badge tone="info">this session</Badge>}
                </td>
                <td>{s.clientIp ?? <span className="hs-muted">unknown</span>}</td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{formatDateTime(s.lastUsedAt)}</td>
                <td>
                  {!s.current && (
                    <Button variant="secondary" busy={ending.loading} onClick={() => void end({ variables: { id: s.id } }).catch(() => undefined)}>
                      End session
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="hs-row">
          <Button variant="secondary" disabled={others === 0} busy={leaving.loading} onClick={() => void leaveAll(true)}>
            Sign out everywhere else
          </Button>
          <Button variant="danger" busy={leaving.loading} onClick={() => void leaveAll(false)}>
            Sign out everywhere
          </Button>
        </div>
      </section>
    </>
  );
}
