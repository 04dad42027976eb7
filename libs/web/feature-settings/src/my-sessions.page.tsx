import { useMutation, useQuery } from '@apollo/client/react';
import { useNavigate } from 'react-router';
import { errorMessage, removeFromCache, useSession } from '@hindsight/web-data-access';
import { Alert, Badge, Button, ErrorState, formatDateTime, LoadingState, PageHeader, Table } from '@hindsight/web-ui';
import { EndSession, MySessions, SignOutEverywhere } from './settings.operations';

/** The signed-in person's sessions (browsers and devices): end one, or sign out everywhere. */
export function MySessionsPage() {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(MySessions, { fetchPolicy: 'network-only' });
  const [end, ending] = useMutation(EndSession, { update: (cache, { data: ended }, { variables }) => ended?.endSession && variables && removeFromCache(cache, 'Session', String(variables.id)) });
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
        <Table
          label="Your sessions"
          rows={data.mySessions}
          rowKey={(s) => s.id}
          columns={[
            {
              key: 'device',
              header: 'Browser or device',
              render: (s) => (
                <>
                  {s.userAgent ?? <span className="hs-muted">unknown</span>} {s.current && <Badge tone="info">this session</Badge>}
                </>
              ),
            },
            { key: 'address', header: 'Address', render: (s) => s.clientIp ?? <span className="hs-muted">unknown</span> },
            { key: 'created', header: 'Signed in', render: (s) => formatDateTime(s.createdAt), sortValue: (s) => s.createdAt },
            { key: 'used', header: 'Last used', render: (s) => formatDateTime(s.lastUsedAt), sortValue: (s) => s.lastUsedAt },
            {
              key: 'action',
              header: <span className="hs-muted">Action</span>,
              label: '',
              render: (s) =>
                !s.current && (
                  <Button variant="secondary" busy={ending.loading} onClick={() => void end({ variables: { id: s.id } }).catch(() => undefined)}>
                    End session
                  </Button>
                ),
            },
          ]}
        />
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
