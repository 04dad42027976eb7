import { PageHeader } from '@hindsight/web-ui';
import { ApiTokensSection } from './api-tokens.section';

/** Everyone's own API tokens (an ADMIN manages everyone's under Settings). */
export function ApiTokensPage() {
  return (
    <>
      <PageHeader title="Your API tokens" description="Tokens for your scripts and integrations: they act as you, within their scope." />
      <ApiTokensSection />
    </>
  );
}
