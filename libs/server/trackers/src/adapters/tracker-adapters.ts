import type { ConnectionSettings, TrackerAdapter } from './tracker.adapter';
import { GitHubAdapter } from './github.adapter';
import { GitLabAdapter } from './gitlab.adapter';
import { JiraAdapter } from './jira.adapter';
import { LinearAdapter } from './linear.adapter';

export function adapterFor(c: ConnectionSettings): TrackerAdapter {
  switch (c.kind) {
    case 'GITHUB':
      return new GitHubAdapter(c);
    case 'GITLAB':
      return new GitLabAdapter(c);
    case 'JIRA':
      return new JiraAdapter(c);
    case 'LINEAR':
      return new LinearAdapter(c);
    default: {
      const unknown: never = c.kind;
      throw new Error(`unknown tracker ${String(unknown)}`);
    }
  }
}
