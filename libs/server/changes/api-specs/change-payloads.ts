import { createHmac } from 'node:crypto';
import examples from '@octokit/webhooks-examples';

/**
 * The payloads senders really send, for tests that post them through the real endpoint.
 * GitHub's come from @octokit/webhooks-examples (GitHub's own published examples); GitLab's is
 * the "Deployment events" example of GitLab's webhook documentation
 * (doc/user/project/integrations/webhook_events.md); Argo CD's is what the webhook template in
 * docs/changes.md renders, its fields named as in Argo CD's Application resource and its
 * notification context (Argo CD Notifications, services/webhook.md).
 */

export type Json = Record<string, unknown>;

/** GitHub's published `deployment_status` examples, deep-copied so a test may edit them. */
export function githubDeploymentStatuses(): Json[] {
  const group = examples.find((e) => e.name === 'deployment_status');
  if (!group) throw new Error('@octokit/webhooks-examples has no deployment_status examples');
  return group.examples.map((e) => structuredClone(e) as unknown as Json);
}

/** GitLab's documented Deployment Hook example (`X-Gitlab-Event: Deployment Hook`). */
export function gitlabDeploymentHook(overrides: Json = {}): Json {
  return {
    object_kind: 'deployment',
    status: 'success',
    status_changed_at: '2021-04-28 21:50:00 +0200',
    deployment_id: 15,
    deployable_id: 796,
    deployable_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796',
    environment: 'staging',
    environment_tier: 'staging',
    environment_slug: 'staging',
    environment_external_url: 'https://staging.example.com',
    project: {
      id: 30,
      name: 'test-deployment-webhooks',
      description: '',
      web_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks',
      avatar_url: null,
      git_ssh_url: 'ssh://vlad@10.126.0.2:2222/root/test-deployment-webhooks.git',
      git_http_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks.git',
      namespace: 'Administrator',
      visibility_level: 0,
      path_with_namespace: 'root/test-deployment-webhooks',
      default_branch: 'master',
      ci_config_path: '',
      homepage: 'http://10.126.0.2:3000/root/test-deployment-webhooks',
      url: 'ssh://vlad@10.126.0.2:2222/root/test-deployment-webhooks.git',
      ssh_url: 'ssh://vlad@10.126.0.2:2222/root/test-deployment-webhooks.git',
      http_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks.git',
    },
    short_sha: '279484c0',
    user: { id: 1, name: 'Administrator', username: 'root', avatar_url: 'https://www.gravatar.com/avatar/e64c7d89f26bd1972efa854d13d7dd61?s=80&d=identicon', email: 'admin@example.com' },
    user_url: 'http://10.126.0.2:3000/root',
    commit_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/commit/279484c09fbe69ededfced8c1bb6e6d24616b468',
    commit_title: 'Add new file',
    ...overrides,
  };
}

/** What the docs/changes.md template sends for an Application's finished sync. */
export function argoCdNotification(overrides: { phase?: string; startedAt?: string; finishedAt?: string; name?: string; environment?: string } = {}): Json {
  const name = overrides.name ?? 'checkout-api';
  return {
    app: {
      metadata: { name, namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'shop' } },
      spec: { destination: { server: 'https://kubernetes.default.svc', namespace: 'checkout' }, source: { repoURL: 'https://github.com/acme/deploy.git', path: 'checkout', targetRevision: 'HEAD' } },
      status: {
        sync: { status: 'Synced', revision: '9f1c2e7d4b5a69ededfced8c1bb6e6d24616b468' },
        operationState: {
          phase: overrides.phase ?? 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: overrides.startedAt ?? '2026-11-20T09:58:00Z',
          finishedAt: overrides.finishedAt ?? '2026-11-20T10:00:00Z',
          operation: { sync: { revision: '9f1c2e7d4b5a69ededfced8c1bb6e6d24616b468' } },
          syncResult: { revision: '9f1c2e7d4b5a69ededfced8c1bb6e6d24616b468' },
        },
      },
    },
    context: { argocdUrl: 'https://argocd.example.com', environment: overrides.environment ?? 'production' },
  };
}

/** `X-Hub-Signature-256` as GitHub computes it over the exact bytes sent. */
export function githubSignature(secret: string, raw: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}
