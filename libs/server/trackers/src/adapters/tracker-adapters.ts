import type { OutboundGuard } from '@hindsight/server-outbound';
import type { ConnectionSettings, TrackerAdapter } from './tracker.adapter';
import { GitHubAdapter } from './github.adapter';
import { GitLabAdapter } from './gitlab.adapter';
import { JiraAdapter } from './jira.adapter';
import { LinearAdapter } from './linear.adapter';

/** The adapter for a connection; its requests go through `outbound`. */
export function adapterFor(c: ConnectionSettings, outbound: OutboundGuard): TrackerAdapter {
  switch (c.kind) {
    case 'GITHUB':
      return new GitHubAdapter(c, outbound);
    case 'GITLAB':
      return new GitLabAdapter(c, outbound);
    case 'JIRA':
      return new JiraAdapter(c, outbound);
    case 'LINEAR':
      return new LinearAdapter(c, outbound);
    default: {
      const unknown: never = c.kind;
      throw new Error(`unknown tracker ${String(unknown)}`);
    }
  }
}
