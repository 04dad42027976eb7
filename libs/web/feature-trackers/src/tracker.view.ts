export const KIND_LABEL = { GITHUB: 'GitHub', GITLAB: 'GitLab', JIRA: 'Jira', LINEAR: 'Linear' } as const;

export const BASE_URL_HINT = {
  GITHUB: 'https://api.github.com, or https://github.example.com/api/v3 for GitHub Enterprise',
  GITLAB: 'https://gitlab.com or your GitLab’s address',
  JIRA: 'https://your-site.atlassian.net (Cloud) or your Jira Data Center address',
  LINEAR: 'https://api.linear.app',
} as const;

export const PROJECT_HINT = {
  GITHUB: 'owner/repo',
  GITLAB: 'group/project',
  JIRA: 'The project key, e.g. OPS',
  LINEAR: 'The team key',
} as const;

/** What to paste where, per tracker: the webhook's events and where its secret goes. */
export const WEBHOOK_HINT = {
  GITHUB: 'Repository → Settings → Webhooks: content type application/json, the secret below, "Issues" events.',
  GITLAB: 'Project → Settings → Webhooks: the secret below as "Secret token", "Issues events" and "Confidential issues events".',
  JIRA: 'System → Webhooks: the secret below, events "Issue updated" and "Issue deleted" (JQL: project = <key>).',
  LINEAR: 'Settings → API → Webhooks: "Issues" data; paste the signing secret Linear shows as the webhook secret below.',
} as const;
