import { useSearchParams } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { errorMessage, useSession } from '@hindsight/web-data-access';
import { Alert, Button, PageHeader } from '@hindsight/web-ui';
import { LinkSlackAccount } from './settings.operations';

/**
 * Where the Slack app's sign-in link lands (docs/slack.md): after sign-in, the person confirms,
 * and the Slack user the link was made for acts as them from then on (once). Nothing happens on
 * opening the page: a link someone else sent cannot link an account unnoticed.
 */
export function SlackLinkPage() {
  const [params] = useSearchParams();
  const { user } = useSession();
  const token = params.get('token') ?? '';
  const [link, { data, error, loading }] = useMutation(LinkSlackAccount);
  const linked = data?.linkSlackAccount === true;
  return (
    <>
      <PageHeader title="Link your Slack account" description="So that what you answer in Slack is done as you." />
      <div className="hs-card hs-stack">
        {!token && <Alert>This link has no token: run /hindsight in Slack for a new one.</Alert>}
        {token && !linked && (
          <>
            <p>
              The Slack account that asked for this link will act as you, <strong>{user?.name}</strong> ({user?.email}): its answers in Slack are made with your role and teams. Link it only if
              you asked for this link in Slack yourself.
            </p>
            {error && <Alert>{errorMessage(error)}</Alert>}
            <div className="hs-row">
              <Button busy={loading} onClick={() => void link({ variables: { token } }).catch(() => undefined)}>
                Link my Slack account
              </Button>
            </div>
          </>
        )}
        {linked && <Alert tone="success">Your Slack account is linked. Go back to Slack and try again.</Alert>}
      </div>
    </>
  );
}
