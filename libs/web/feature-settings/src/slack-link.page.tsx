import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { errorMessage } from '@hindsight/web-data-access';
import { Alert, LoadingState, PageHeader } from '@hindsight/web-ui';
import { LinkSlackAccount } from './settings.operations';

/** Where the Slack app's sign-in link lands: the signed-in person becomes that Slack user here (once). */
export function SlackLinkPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [link, { data, error, called }] = useMutation(LinkSlackAccount);
  useEffect(() => {
    if (token && !called) void link({ variables: { token } }).catch(() => undefined);
  }, [token, called, link]);
  return (
    <>
      <PageHeader title="Link your Slack account" description="So that what you answer in Slack is done as you." />
      <div className="hs-card">
        {!token && <Alert>This link has no token: run /hindsight in Slack for a new one.</Alert>}
        {token && !data && !error && <LoadingState label="Linking…" />}
        {error && <Alert>{errorMessage(error)}</Alert>}
        {data?.linkSlackAccount && <Alert tone="success">Your Slack account is linked. Go back to Slack and try again.</Alert>}
      </div>
    </>
  );
}
