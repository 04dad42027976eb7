import examples from '@octokit/webhooks-examples';
import { looksLikeArgoCd, parseChangePayload, parseTimestamp, type ChangeParse } from './change-payload.parse';

const RECEIVED = new Date('2026-11-20T12:00:00Z');

const githubExamples = (): Record<string, unknown>[] =>
  (examples.find((e) => e.name === 'deployment_status')?.examples ?? []).map((e) => structuredClone(e) as unknown as Record<string, unknown>);

const change = (r: ChangeParse) => {
  if (r.kind !== 'change') throw new Error(`expected a change, got ${JSON.stringify(r)}`);
  return r.change;
};

describe('parseTimestamp', () => {
  it.each([
    ['2026-11-20T11:40:00Z', '2026-11-20T11:40:00.000Z'],
    ['2026-11-20T11:40:00.123456Z', '2026-11-20T11:40:00.123Z'],
    ['2026-11-20T13:40:00+02:00', '2026-11-20T11:40:00.000Z'],
    ['2021-04-28 21:50:00 +0200', '2021-04-28T19:50:00.000Z'],
    ['2025-01-15 12:20:00 UTC', '2025-01-15T12:20:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('%s is %s', (raw, iso) => {
    expect(parseTimestamp(raw)?.toISOString()).toBe(iso);
  });

  it.each(['2026-11-20T11:40:00', '2023-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '0001-01-01T00:00:00Z', 'yesterday', 1732100000000, null])('refuses %p', (raw) => {
    expect(parseTimestamp(raw)).toBeNull();
  });
});

describe('GitHub deployment_status (the examples GitHub publishes)', () => {
  it('a successful production deployment is a change of the repository, at the status time', () => {
    const [body] = githubExamples();
    expect(change(parseChangePayload({ source: 'github', event: 'deployment_status', body, receivedAt: RECEIVED }))).toEqual({
      source: 'github',
      sourceKey: 'https://api.github.com/repos/Codertocat/Hello-World/deployments/145988746',
      serviceName: 'Hello-World',
      environment: 'production',
      production: true,
      version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      url: 'https://github.com/Codertocat/Hello-World/commit/f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      status: 'succeeded',
      startedAt: new Date('2019-05-15T15:20:53Z'),
      finishedAt: new Date('2019-05-15T15:20:55Z'),
    });
  });

  it('an in-progress deployment is not a change yet', () => {
    const inProgress = githubExamples().find((b) => (b['deployment_status'] as { state: string }).state === 'in_progress');
    expect(parseChangePayload({ source: 'github', event: 'deployment_status', body: inProgress, receivedAt: RECEIVED })).toEqual({ kind: 'ignored', reason: expect.stringContaining('in_progress') });
  });

  it('failure and error are failed changes; inactive is ignored', () => {
    const [body] = githubExamples();
    const state = (s: string) => ({ ...body, deployment_status: { ...(body['deployment_status'] as object), state: s } });
    expect(change(parseChangePayload({ source: 'github', event: 'deployment_status', body: state('failure'), receivedAt: RECEIVED })).status).toBe('failed');
    expect(change(parseChangePayload({ source: 'github', event: 'deployment_status', body: state('error'), receivedAt: RECEIVED })).status).toBe('failed');
    expect(parseChangePayload({ source: 'github', event: 'deployment_status', body: state('inactive'), receivedAt: RECEIVED }).kind).toBe('ignored');
  });

  it('production_environment wins over the name; a release tag is the version; payload.service names the service', () => {
    const [body] = githubExamples();
    const deployment = { ...(body['deployment'] as object), production_environment: false, ref: 'v2.14.0', payload: { service: 'checkout-api' } };
    const c = change(parseChangePayload({ source: 'github', event: 'deployment_status', body: { ...body, deployment }, receivedAt: RECEIVED }));
    expect(c).toMatchObject({ production: false, version: 'v2.14.0', serviceName: 'checkout-api' });
  });

  it('ping and other events are answered, not stored', () => {
    expect(parseChangePayload({ source: 'github', event: 'ping', body: { zen: 'Keep it logically awesome.' }, receivedAt: RECEIVED })).toEqual({ kind: 'ignored', reason: expect.stringContaining('ping') });
    expect(parseChangePayload({ source: 'github', event: 'push', body: {}, receivedAt: RECEIVED })).toEqual({ kind: 'ignored', reason: expect.stringContaining('Deployment statuses') });
  });

  it('a body without its deployment says what is missing', () => {
    const [body] = githubExamples();
    delete body['deployment'];
    expect(parseChangePayload({ source: 'github', event: 'deployment_status', body, receivedAt: RECEIVED })).toEqual({ kind: 'invalid', errors: [{ field: 'deployment', reason: expect.stringContaining('missing') }] });
  });

  it('a repository URL with a newline is refused, not repaired', () => {
    const [body] = githubExamples();
    const repository = { ...(body['repository'] as object), html_url: 'https://github.com/x\n/y' };
    expect(parseChangePayload({ source: 'github', event: 'deployment_status', body: { ...body, repository }, receivedAt: RECEIVED })).toEqual({
      kind: 'invalid', errors: [{ field: 'repository.html_url', reason: expect.stringContaining('control characters') }],
    });
  });
});

describe('GitLab Deployment Hook', () => {
  const body = (status: string, extra: Record<string, unknown> = {}) => ({
    object_kind: 'deployment', status, status_changed_at: '2021-04-28 21:50:00 +0200', deployment_id: 15, deployable_id: 796,
    environment: 'production', environment_tier: 'production', environment_slug: 'production',
    project: { id: 30, name: 'checkout-api', web_url: 'https://gitlab.example.com/shop/checkout-api', path_with_namespace: 'shop/checkout-api' },
    short_sha: '279484c0', commit_url: 'https://gitlab.example.com/shop/checkout-api/-/commit/279484c09fbe69ededfced8c1bb6e6d24616b468', commit_title: 'Add new file',
    ...extra,
  });

  it('success is a change of the project, at status_changed_at', () => {
    expect(change(parseChangePayload({ source: 'gitlab', event: 'Deployment Hook', body: body('success'), receivedAt: RECEIVED }))).toEqual({
      source: 'gitlab', sourceKey: 'gitlab.example.com#deployment-15', serviceName: 'checkout-api', environment: 'production', production: true,
      version: '279484c0', url: 'https://gitlab.example.com/shop/checkout-api/-/commit/279484c09fbe69ededfced8c1bb6e6d24616b468',
      status: 'succeeded', startedAt: null, finishedAt: new Date('2021-04-28T19:50:00Z'),
    });
  });

  it('the tier decides production; canceled is cancelled; running is ignored', () => {
    expect(change(parseChangePayload({ source: 'gitlab', event: 'Deployment Hook', body: body('success', { environment: 'eu-prod', environment_tier: 'staging' }), receivedAt: RECEIVED })).production).toBe(false);
    expect(change(parseChangePayload({ source: 'gitlab', event: 'Deployment Hook', body: body('canceled'), receivedAt: RECEIVED })).status).toBe('cancelled');
    expect(parseChangePayload({ source: 'gitlab', event: 'Deployment Hook', body: body('running'), receivedAt: RECEIVED }).kind).toBe('ignored');
    expect(parseChangePayload({ source: 'gitlab', event: 'Push Hook', body: { object_kind: 'push' }, receivedAt: RECEIVED }).kind).toBe('ignored');
  });

  it('a time without a zone is refused', () => {
    expect(parseChangePayload({ source: 'gitlab', event: 'Deployment Hook', body: body('success', { status_changed_at: '2021-04-28 21:50:00' }), receivedAt: RECEIVED })).toEqual({
      kind: 'invalid', errors: [{ field: 'status_changed_at', reason: expect.stringContaining('zone') }],
    });
  });
});

describe('Argo CD notification', () => {
  const body = (phase: string, extra: Record<string, unknown> = {}) => ({
    app: {
      metadata: { name: 'checkout-api', namespace: 'argocd', labels: { environment: 'production' } },
      spec: { destination: { server: 'https://kubernetes.default.svc', namespace: 'checkout' }, source: { repoURL: 'https://github.com/acme/deploy.git' } },
      status: { operationState: { phase, startedAt: '2026-11-20T10:00:00Z', finishedAt: '2026-11-20T10:02:30Z', syncResult: { revision: '9f1c2e7d4b' }, operation: { sync: { revision: '9f1c2e7d4b' } } } },
    },
    context: { argocdUrl: 'https://argocd.example.com/' },
    ...extra,
  });

  it('is recognised by its app, and a Succeeded sync is a change', () => {
    expect(looksLikeArgoCd(body('Succeeded'))).toBe(true);
    expect(looksLikeArgoCd({ service: 'x' })).toBe(false);
    expect(change(parseChangePayload({ source: 'argocd', event: null, body: body('Succeeded'), receivedAt: RECEIVED }))).toEqual({
      source: 'argocd', sourceKey: 'https://argocd.example.com/argocd/checkout-api@2026-11-20T10:00:00.000Z', serviceName: 'checkout-api',
      environment: 'production', production: true, version: '9f1c2e7d4b', url: 'https://argocd.example.com/applications/argocd/checkout-api',
      status: 'succeeded', startedAt: new Date('2026-11-20T10:00:00Z'), finishedAt: new Date('2026-11-20T10:02:30Z'),
    });
  });

  it('Failed and Error are failed; Running is ignored; an explicit service and environment win', () => {
    expect(change(parseChangePayload({ source: 'argocd', event: null, body: body('Error'), receivedAt: RECEIVED })).status).toBe('failed');
    expect(parseChangePayload({ source: 'argocd', event: null, body: body('Running'), receivedAt: RECEIVED }).kind).toBe('ignored');
    expect(change(parseChangePayload({ source: 'argocd', event: null, body: body('Succeeded', { service: 'checkout', environment: 'staging' }), receivedAt: RECEIVED }))).toMatchObject({
      serviceName: 'checkout', environment: 'staging', production: false,
    });
  });

  it('says where to put the environment when there is none', () => {
    const b = body('Succeeded');
    (b.app.metadata as { labels?: unknown }).labels = {};
    expect(parseChangePayload({ source: 'argocd', event: null, body: b, receivedAt: RECEIVED })).toEqual({ kind: 'invalid', errors: [{ field: 'environment', reason: expect.stringContaining('label') }] });
  });
});

describe('generic shape', () => {
  const ok = { service: 'checkout-api', environment: 'production', version: 'v2.14.0', url: 'https://github.com/acme/checkout/commit/9f1c2e7', finishedAt: '2026-11-20T11:00:00Z' };

  it('needs service, environment and finishedAt; status defaults to succeeded; no id: the content is the key', () => {
    expect(change(parseChangePayload({ source: 'generic', event: null, body: ok, receivedAt: RECEIVED }))).toEqual({
      source: 'generic', sourceKey: 'checkout-api|production|2026-11-20T11:00:00.000Z|v2.14.0', serviceName: 'checkout-api', environment: 'production',
      production: true, version: 'v2.14.0', url: ok.url, status: 'succeeded', startedAt: null, finishedAt: new Date('2026-11-20T11:00:00Z'),
    });
    expect(change(parseChangePayload({ source: 'generic', event: null, body: { ...ok, id: 4711 }, receivedAt: RECEIVED })).sourceKey).toBe('id:4711');
  });

  it('lists every problem at once, on the field sent', () => {
    const r = parseChangePayload({ source: 'generic', event: null, body: { environment: 3, status: 'exploded', production: 'yes', startedAt: 'soon' }, receivedAt: RECEIVED });
    expect(r.kind === 'invalid' && r.errors.map((e) => e.field).sort()).toEqual(['environment', 'finishedAt', 'production', 'service', 'startedAt', 'status']);
  });

  it.each([
    ['javascript:alert(1)', 'http'],
    ['https://ok.example/a\nb', 'control'],
    ['https://ok.example/a\u0001b', 'control'],
    [`https://ok.example/${'a'.repeat(2100)}`, '2048'],
  ])('refuses the URL %p', (url, why) => {
    const r = parseChangePayload({ source: 'generic', event: null, body: { ...ok, url }, receivedAt: RECEIVED });
    expect(r).toEqual({ kind: 'invalid', errors: [{ field: 'url', reason: expect.stringContaining(why) }] });
  });

  it('refuses control characters in names and a start after the finish', () => {
    expect(parseChangePayload({ source: 'generic', event: null, body: { ...ok, service: 'checkout\u0007api' }, receivedAt: RECEIVED }).kind).toBe('invalid');
    expect(parseChangePayload({ source: 'generic', event: null, body: { ...ok, startedAt: '2026-11-20T12:00:00Z' }, receivedAt: RECEIVED })).toEqual({
      kind: 'invalid', errors: [{ field: 'startedAt', reason: 'must not be after finishedAt' }],
    });
  });

  it('a running change is ignored; a body that is not an object is invalid', () => {
    expect(parseChangePayload({ source: 'generic', event: null, body: { ...ok, status: 'in_progress' }, receivedAt: RECEIVED }).kind).toBe('ignored');
    expect(parseChangePayload({ source: 'generic', event: null, body: [ok], receivedAt: RECEIVED })).toEqual({ kind: 'invalid', errors: [{ field: 'body', reason: 'must be a JSON object' }] });
  });
});
