// Changes in (issue 25): GitHub, GitLab, Argo CD and the generic shape through the real
// endpoint, signatures, replays, unknown services kept and matched later by an alias.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { argoCdNotification, githubDeploymentStatuses, githubSignature, gitlabDeploymentHook, type Json } from './change-payloads';
import { must, Scenario } from '@hindsight/server-testing';

let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let admin: string;
let commanderToken: string;
let viewerToken: string;
let teamId: string;
let checkoutId: string;
let github: { id: string; secret: string; url: string };
let gitlab: { id: string; secret: string; url: string };
let db: Client;

interface Answer {
  status: number;
  body: { outcome?: string; reason?: string; change?: { id: string; serviceName: string; serviceId: string | null; matched: boolean } | null; message?: string; field?: string; errors?: { field: string; reason: string }[] };
}


async function post(path: string, raw: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** The generic shape or an Argo CD notification, with an API token. */
const postChange = (body: unknown, token: string | null = commanderToken, extra: Record<string, string> = {}) =>
  post('/api/changes', JSON.stringify(body), { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra });

/** A GitHub webhook delivery, signed (or not) as GitHub signs it. */
const postGithub = (body: Json, event = 'deployment_status', signature: string | null = githubSignature(github.secret, JSON.stringify(body))) =>
  post(`/api/changes/${github.id}`, JSON.stringify(body), { 'x-github-event': event, 'x-github-delivery': randomUUID(), ...(signature ? { 'x-hub-signature-256': signature } : {}) });

const postGitlab = (body: Json, token: string | null = gitlab.secret, event = 'Deployment Hook') =>
  post(`/api/changes/${gitlab.id}`, JSON.stringify(body), { 'x-gitlab-event': event, ...(token ? { 'x-gitlab-token': token } : {}) });

const changeCount = async (): Promise<number> => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM changes')).rows[0].n);

const CHANGES = `query($s: ID, $u: Boolean, $first: Int) { changes(serviceId: $s, unmatched: $u, first: $first) {
  id serviceName service { id name } environment production version url status startedAt finishedAt source } }`;

beforeAll(async () => {
  ({ api, db, admin, world } = t = await startApiWorld());
  const token = async (email: string, role: string) => world.apiToken((await world.person({ email, name: email, role })).id, 'deploys');
  commanderToken = await token('deploy-bot@test.local', 'COMMANDER');
  viewerToken = await token('viewer@test.local', 'VIEWER');
  teamId = await world.team({ name: 'Payments' });
  checkoutId = await world.service({ name: 'checkout-api', teamId });
  const source = async (name: string, kind: string) => {
    const r = await must<{ createChangeSource: { secret: string; changeSource: { id: string; webhookUrl: string } } }>(
      api,
      `mutation($i: ChangeSourceInput!) { createChangeSource(input: $i) { secret changeSource { id webhookUrl } } }`, { i: { name, kind } },
      admin,
    );
    return { id: r.createChangeSource.changeSource.id, secret: r.createChangeSource.secret, url: r.createChangeSource.changeSource.webhookUrl };
  };
  github = await source('GitHub acme', 'GITHUB');
  gitlab = await source('GitLab self-managed', 'GITLAB');
});
afterAll(() => t?.close());

describe('change sources', () => {
  it('give the URL to paste, keep the secret encrypted, and show it only once', async () => {
    expect(github.url).toBe(`${api.config.publicUrl}/api/changes/${github.id}`);
    expect(github.secret).toMatch(/^[\w-]{43}$/);
    const { rows } = await db.query<{ secret_enc: string }>('SELECT secret_enc FROM change_sources WHERE id = $1', [github.id]);
    expect(rows[0].secret_enc).toMatch(/^v1\./);
    expect(rows[0].secret_enc).not.toContain(github.secret);
    const listed = await api.gql(`{ changeSources { id name kind webhookUrl lastReceivedAt } }`, {}, admin);
    expect(JSON.stringify(listed.data)).not.toContain(github.secret);
    const audit = await db.query<{ after: unknown }>(`SELECT after FROM audit_log WHERE entity_type = 'ChangeSource'`);
    expect(JSON.stringify(audit.rows)).not.toContain('v1.');
  });

  it('are managed by ADMINs only', async () => {
    const res = await api.gql(`mutation { createChangeSource(input: { name: "x", kind: GITHUB }) { secret } }`, {}, commanderToken);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const list = await api.gql(`{ changeSources { id } }`, {}, commanderToken);
    expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('GitHub deployment_status (GitHub\'s published examples)', () => {
  it('a ping proves the hook: answered, nothing stored, last delivery noted', async () => {
    const body = { zen: 'Design for failure.', hook_id: 1, hook: { type: 'Repository', events: ['deployment_status'] } };
    const res = await postGithub(body, 'ping');
    expect(res).toEqual({ status: 200, body: { outcome: 'ignored', reason: expect.stringContaining('ping'), change: null } });
    const { changeSources } = await must<{ changeSources: { id: string; lastReceivedAt: string | null }[] }>(api, `{ changeSources { id lastReceivedAt } }`, {}, admin);
    expect(changeSources.find((s) => s.id === github.id)?.lastReceivedAt).not.toBeNull();
  });

  it('each example: a finished deployment is a change, a running one is not', async () => {
    const before = await changeCount();
    const outcomes: string[] = [];
    for (const body of githubDeploymentStatuses()) outcomes.push(`${(body['deployment_status'] as Json)['state']}:${(await postGithub(body)).body.outcome}`);
    // The three success examples describe one deployment (same id): one change, then replays.
    expect(outcomes).toEqual(['success:created', 'in_progress:ignored', 'success:unchanged', 'success:unchanged']);
    expect(await changeCount()).toBe(before + 1);
  });

  it('the change is kept unmatched (no service is called Hello-World), as sent, with nobody\'s name', async () => {
    const { changes } = await must<{ changes: Json[] }>(api, CHANGES, { u: true }, admin);
    expect(changes).toEqual([
      {
        id: expect.any(String), serviceName: 'Hello-World', service: null, environment: 'production', production: true,
        version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', url: 'https://github.com/Codertocat/Hello-World/commit/f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        status: 'succeeded', startedAt: '2019-05-15T15:20:53.000Z', finishedAt: '2019-05-15T15:20:55.000Z', source: 'github',
      },
    ]);
    // Blameless: the sender named the deployer (deployment.creator, sender); nothing Hindsight keeps does.
    const stored = await db.query<Json>(`SELECT * FROM changes`);
    expect(Object.keys(stored.rows[0]).sort()).toEqual([
      'environment', 'finished_at', 'id', 'production', 'received_at', 'service_id', 'service_name', 'source', 'source_key', 'started_at', 'status', 'updated_at', 'url', 'version',
    ]);
    const audited = await db.query(`SELECT after::text AS r FROM audit_log WHERE entity_type = 'Change'`);
    expect(JSON.stringify(audited.rows)).not.toMatch(/login|creator|sender|avatar/);
  });

  it('a replay of the very same delivery (GitHub\'s Redeliver) stores nothing new', async () => {
    const [body] = githubDeploymentStatuses();
    const raw = JSON.stringify(body);
    const before = await changeCount();
    const headers = { 'x-github-event': 'deployment_status', 'x-github-delivery': 'a1b2c3', 'x-hub-signature-256': githubSignature(github.secret, raw) };
    const first = await post(`/api/changes/${github.id}`, raw, headers);
    const again = await post(`/api/changes/${github.id}`, raw, headers);
    expect([first.status, first.body.outcome, again.status, again.body.outcome]).toEqual([200, 'unchanged', 200, 'unchanged']);
    expect(await changeCount()).toBe(before);
  });

  it('a later report of the same deployment (a re-run that failed) updates it', async () => {
    const [body] = githubDeploymentStatuses();
    const status = body['deployment_status'] as Json;
    Object.assign(status, { state: 'failure', updated_at: '2019-05-15T15:40:00Z' });
    const res = await postGithub(body);
    expect(res.body.outcome).toBe('updated');
    const { changes } = await must<{ changes: Json[] }>(api, CHANGES, { u: true }, admin);
    expect(changes[0]).toMatchObject({ status: 'failed', finishedAt: '2019-05-15T15:40:00.000Z' });
  });

  it.each([
    ['missing', null, 'No X-Hub-Signature-256'],
    ['made with another secret', 'other-secret', 'does not match'],
  ])('a signature %s is refused with 401 and stores nothing', async (_what, secret, message) => {
    const [body] = githubDeploymentStatuses();
    (body['deployment'] as Json)['id'] = 999;
    (body['deployment'] as Json)['url'] = 'https://api.github.com/repos/Codertocat/Hello-World/deployments/999';
    const before = await changeCount();
    const res = await postGithub(body, 'deployment_status', secret === null ? null : githubSignature(secret, JSON.stringify(body)));
    expect(res.status).toBe(401);
    expect(res.body.message).toContain(message);
    expect(await changeCount()).toBe(before);
  });

  it('a body changed after signing is refused', async () => {
    const [body] = githubDeploymentStatuses();
    const signature = githubSignature(github.secret, JSON.stringify(body));
    (body['deployment_status'] as Json)['environment'] = 'staging';
    expect((await postGithub(body, 'deployment_status', signature)).status).toBe(401);
  });

  it('after rotating the secret, the old one is refused and the new one accepted', async () => {
    const old = github.secret;
    const r = await must<{ rotateChangeSourceSecret: { secret: string } }>(api, `mutation($id: ID!) { rotateChangeSourceSecret(id: $id) { secret } }`, { id: github.id }, admin);
    github = { ...github, secret: r.rotateChangeSourceSecret.secret };
    const [body] = githubDeploymentStatuses();
    expect((await postGithub(body, 'deployment_status', githubSignature(old, JSON.stringify(body)))).status).toBe(401);
    expect((await postGithub(body)).status).toBe(200);
  });

  it('a GitHub webhook sent to /api/changes with a token is pointed at its change source', async () => {
    const [body] = githubDeploymentStatuses();
    const res = await postChange(body, commanderToken, { 'x-github-event': 'deployment_status' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('/api/changes/<change source id>');
  });

  it("GitHub's form content type (its default) is read from the payload field, signed as sent", async () => {
    const [body] = githubDeploymentStatuses();
    const raw = `payload=${encodeURIComponent(JSON.stringify(body))}`;
    const send = (signature: string) =>
      fetch(`${api.url}/api/changes/${github.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'deployment_status', 'x-hub-signature-256': signature },
        body: raw,
      });
    const res = await send(githubSignature(github.secret, raw));
    expect(res.status).toBe(200);
    expect(((await res.json()) as Answer['body']).outcome).toBe('unchanged');
    expect((await send(githubSignature(github.secret, JSON.stringify(body)))).status).toBe(401);
  });

  it('a secret this server cannot decrypt (the key changed) is 503 for the sender to retry, not a 500', async () => {
    const broken = await must<{ createChangeSource: { changeSource: { id: string } } }>(api, `mutation { createChangeSource(input: { name: "old key", kind: GITLAB }) { changeSource { id } } }`, {}, admin);
    const id = broken.createChangeSource.changeSource.id;
    await db.query(`UPDATE change_sources SET secret_enc = 'v1.deadbeef.aaaa.bbbb.cccc' WHERE id = $1`, [id]);
    const res = await post(`/api/changes/${id}`, JSON.stringify(gitlabDeploymentHook()), { 'x-gitlab-event': 'Deployment Hook', 'x-gitlab-token': 'x' });
    expect(res.status).toBe(503);
    expect(res.body.message).toContain('HINDSIGHT_ENCRYPTION_KEY');
  });

  it('an unknown change source is 404', async () => {
    const [body] = githubDeploymentStatuses();
    expect((await post(`/api/changes/${randomUUID()}`, JSON.stringify(body), { 'x-github-event': 'deployment_status' })).status).toBe(404);
    expect((await post(`/api/changes/not-an-id`, JSON.stringify(body), { 'x-github-event': 'deployment_status' })).status).toBe(404);
  });
});

describe('GitLab Deployment Hook (GitLab\'s documented example)', () => {
  it('is a change of the project, in the tier GitLab says (staging: not production)', async () => {
    const res = await postGitlab(gitlabDeploymentHook());
    expect(res.body).toMatchObject({ outcome: 'created', change: { serviceName: 'test-deployment-webhooks', matched: false } });
    const { changes } = await must<{ changes: Json[] }>(api, CHANGES, { u: true }, admin);
    expect(changes.find((c) => c['source'] === 'gitlab')).toMatchObject({
      environment: 'staging', production: false, version: '279484c0', status: 'succeeded', finishedAt: '2021-04-28T19:50:00.000Z',
      url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/commit/279484c09fbe69ededfced8c1bb6e6d24616b468',
    });
    // GitLab named the user (Administrator, admin@example.com): not kept.
    const stored = await db.query(`SELECT row_to_json(c)::text AS r FROM changes c WHERE source = 'gitlab'`);
    expect(JSON.stringify(stored.rows)).not.toMatch(/admin@example\.com|Administrator/);
  });

  it('a replay stores nothing new; running is answered and ignored', async () => {
    const before = await changeCount();
    expect((await postGitlab(gitlabDeploymentHook())).body.outcome).toBe('unchanged');
    expect((await postGitlab(gitlabDeploymentHook({ status: 'running', deployment_id: 16 }))).body.outcome).toBe('ignored');
    expect(await changeCount()).toBe(before);
  });

  it.each([
    ['missing', null, 'No X-Gitlab-Token'],
    ['wrong', 'not-the-secret', 'does not match'],
  ])('a token %s is refused with 401', async (_what, token, message) => {
    const res = await postGitlab(gitlabDeploymentHook({ deployment_id: 77 }), token);
    expect(res.status).toBe(401);
    expect(res.body.message).toContain(message);
  });

  it('a payload without its deployment id is 400 naming the field', async () => {
    const body = gitlabDeploymentHook();
    delete body['deployment_id'];
    const res = await postGitlab(body);
    expect(res).toMatchObject({ status: 400, body: { field: 'deployment_id' } });
  });
});

describe('Argo CD notification (the docs/changes.md template)', () => {
  it('a Succeeded sync is a change of the Application, matched by name', async () => {
    const res = await postChange(argoCdNotification());
    expect(res).toMatchObject({ status: 200, body: { outcome: 'created', change: { serviceName: 'checkout-api', serviceId: checkoutId, matched: true } } });
    const { changes } = await must<{ changes: Json[] }>(api, CHANGES, { s: checkoutId }, admin);
    expect(changes[0]).toMatchObject({
      source: 'argocd', service: { id: checkoutId, name: 'checkout-api' }, environment: 'production', production: true,
      version: '9f1c2e7d4b5a69ededfced8c1bb6e6d24616b468', url: 'https://argocd.example.com/applications/argocd/checkout-api',
      startedAt: '2026-11-20T09:58:00.000Z', finishedAt: '2026-11-20T10:00:00.000Z',
    });
    expect((await postChange(argoCdNotification())).body.outcome).toBe('unchanged');
  });

  it('a sync still Running is ignored; no environment anywhere is 400 saying where to put one', async () => {
    expect((await postChange(argoCdNotification({ phase: 'Running', startedAt: '2026-11-20T11:00:00Z' }))).body.outcome).toBe('ignored');
    const body = argoCdNotification();
    delete (body['context'] as Json)['environment'];
    const res = await postChange(body);
    expect(res).toMatchObject({ status: 400, body: { field: 'environment' } });
    expect(res.body.message).toContain('label');
  });
});

describe('generic shape', () => {
  const deploy = { id: 'deploy-4711', service: 'Checkout-API', environment: 'production', version: 'v2.14.0', url: 'https://github.com/acme/checkout/releases/tag/v2.14.0', startedAt: '2026-11-20T10:55:00Z', finishedAt: '2026-11-20T11:00:00Z' };

  it('is stored and matched to the service ignoring case; a retry stores nothing new', async () => {
    const res = await postChange(deploy);
    expect(res).toMatchObject({ status: 200, body: { outcome: 'created', change: { serviceName: 'Checkout-API', serviceId: checkoutId, matched: true } } });
    const before = await changeCount();
    expect(await postChange(deploy)).toMatchObject({ status: 200, body: { outcome: 'unchanged', change: { id: res.body.change?.id } } });
    expect(await changeCount()).toBe(before);
  });

  it('two deliveries of one change at once store it once', async () => {
    const body = { ...deploy, id: 'deploy-race', finishedAt: '2026-11-20T11:05:00Z' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => postChange(body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.outcome === 'created')).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.change?.id)).size).toBe(1);
  });

  it.each([
    [{ ...deploy, id: 'u1', url: 'javascript:alert(1)' }, 'url'],
    [{ ...deploy, id: 'u2', url: 'https://ok.example/a\nb' }, 'url'],
    [{ ...deploy, id: 'u3', service: undefined }, 'service'],
    [{ ...deploy, id: 'u4', finishedAt: '2026-11-20 11:00' }, 'finishedAt'],
    [{ ...deploy, id: 'u5', status: 'exploded' }, 'status'],
    [{ ...deploy, id: 'u6', startedAt: '2026-11-20T12:00:00Z' }, 'startedAt'],
  ])('a bad payload is 400 naming the field and stores nothing (%#)', async (body, field) => {
    const before = await changeCount();
    const res = await postChange(body);
    expect(res).toMatchObject({ status: 400, body: { field, errors: expect.arrayContaining([expect.objectContaining({ field })]) } });
    expect(await changeCount()).toBe(before);
  });

  it('malformed JSON and a non-object are 400', async () => {
    expect((await post('/api/changes', '{"service": ', { authorization: `Bearer ${commanderToken}` })).status).toBe(400);
    expect(await postChange([deploy])).toMatchObject({ status: 400, body: { field: 'body' } });
  });

  it('needs an API token of a COMMANDER or above', async () => {
    expect((await postChange(deploy, null)).status).toBe(401);
    expect((await postChange(deploy, 'hs_not-a-token')).status).toBe(401);
    const res = await postChange({ ...deploy, id: 'viewer' }, viewerToken);
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('COMMANDER');
  });

  it('is audited as sent by the token, not as any person who deployed', async () => {
    const { rows } = await db.query<{ actor_id: string | null; after: Json }>(`SELECT actor_id, after FROM audit_log WHERE action = 'change.create' AND entity_id = (SELECT id::text FROM changes WHERE source_key = 'id:deploy-4711')`);
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_id).not.toBeNull();
    expect(rows[0].after).toMatchObject({ serviceName: 'Checkout-API', version: 'v2.14.0' });
  });
});

describe('unknown services and aliases', () => {
  it('a change for an unknown service is kept and listed as unmatched', async () => {
    const res = await postChange({ service: 'checkout', environment: 'prod', version: 'v2.15.0', finishedAt: '2026-11-21T08:00:00Z' });
    expect(res.body).toMatchObject({ outcome: 'created', change: { serviceName: 'checkout', serviceId: null, matched: false } });
    const { changes } = await must<{ changes: { serviceName: string }[] }>(api, CHANGES, { u: true }, admin);
    expect(changes.map((c) => c.serviceName)).toContain('checkout');
  });

  it('adding aliases matches the earlier unmatched changes; later ones match on arrival', async () => {
    const r = await must<{ setServiceAliases: { id: string; aliases: string[] } }>(api, `mutation($s: ID!, $a: [String!]!) { setServiceAliases(serviceId: $s, aliases: $a) { id aliases } }`, { s: checkoutId, a: ['checkout', 'Hello-World'] }, admin);
    expect(r.setServiceAliases.aliases).toEqual(['checkout', 'Hello-World']);
    const { changes: unmatched } = await must<{ changes: { serviceName: string }[] }>(api, CHANGES, { u: true }, admin);
    expect(unmatched.map((c) => c.serviceName)).not.toEqual(expect.arrayContaining(['checkout']));
    expect(unmatched.map((c) => c.serviceName)).not.toContain('Hello-World');
    const { changes: ofCheckout } = await must<{ changes: { serviceName: string; service: { name: string } }[] }>(api, CHANGES, { s: checkoutId, first: 200 }, admin);
    expect(new Set(ofCheckout.map((c) => c.serviceName))).toEqual(new Set(['checkout', 'Hello-World', 'Checkout-API', 'checkout-api']));
    const later = await postChange({ service: 'CHECKOUT', environment: 'production', finishedAt: '2026-11-21T09:00:00Z' });
    expect(later.body.change).toMatchObject({ serviceId: checkoutId, matched: true });
    const audit = await db.query<{ after: Json }>(`SELECT after FROM audit_log WHERE action = 'service.aliases'`);
    expect(audit.rows[0].after).toMatchObject({ aliases: ['checkout', 'Hello-World'], matchedChanges: 2 });
  });

  it('removing an alias lets its changes go unmatched again', async () => {
    await must(api, `mutation($s: ID!) { setServiceAliases(serviceId: $s, aliases: ["checkout"]) { id } }`, { s: checkoutId }, admin);
    const { changes } = await must<{ changes: { serviceName: string }[] }>(api, CHANGES, { u: true }, admin);
    expect(changes.map((c) => c.serviceName)).toContain('Hello-World');
  });

  it('refuses a name that already means another service, and its own name', async () => {
    const ledger = (await must<{ createService: { id: string } }>(api, `mutation($t: ID!) { createService(input: { name: "ledger", kind: API, tier: 2, teamId: $t }) { id } }`, { t: teamId }, admin)).createService.id;
    const res = await api.gql(`mutation($s: ID!, $a: [String!]!) { setServiceAliases(serviceId: $s, aliases: $a) { id } }`, { s: ledger, a: ['books', 'CHECKOUT', 'checkout-api', 'Ledger'] }, admin);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const fields = (res.errors?.[0].extensions?.['fields'] as { field: string; reason: string }[]).map((f) => `${f.field}: ${f.reason}`).sort();
    expect(fields).toEqual([
      'aliases.1: is already an alias of the service "checkout-api"',
      'aliases.2: is the name of the service "checkout-api"',
      "aliases.3: is this service's own name: changes named so match it already",
    ]);
    const denied = await api.gql(`mutation($s: ID!) { setServiceAliases(serviceId: $s, aliases: ["x"]) { id } }`, { s: ledger }, commanderToken);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a new service named like unmatched changes claims them; a service may not take another\'s alias as its name', async () => {
    await postChange({ service: 'search-api', environment: 'production', finishedAt: '2026-11-21T10:00:00Z' });
    const search = (await must<{ createService: { id: string } }>(api, `mutation($t: ID!) { createService(input: { name: "Search-API", kind: API, tier: 2, teamId: $t }) { id } }`, { t: teamId }, admin)).createService.id;
    const { changes } = await must<{ changes: { serviceName: string }[] }>(api, CHANGES, { s: search }, admin);
    expect(changes.map((c) => c.serviceName)).toEqual(['search-api']);
    const taken = await api.gql(`mutation($t: ID!) { createService(input: { name: "Checkout", kind: API, tier: 2, teamId: $t }) { id } }`, { t: teamId }, admin);
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(taken.errors?.[0].message).toContain('alias of the service "checkout-api"');
  });
});

// The rules of linking, windows and paging: changes.incident.spec.ts, on the changes room.
describe('changes on an incident, as a client meets them', () => {
  const BEFORE = `query($id: ID!) { incident(id: $id) { changeWindowMinutes changesBeforeDetection { role change { id version serviceName service { name } environment } } } }`;
  const LINK = `mutation($i: ID!, $c: ID!, $r: ChangeRole!) { linkChangeToIncident(incidentId: $i, changeId: $c, role: $r) { id changesBeforeDetection { role change { id } } } }`;
  const UNLINK = `mutation($i: ID!, $c: ID!) { unlinkChangeFromIncident(incidentId: $i, changeId: $c) { id } }`;
  const WINDOW = `mutation($i: ID!, $m: Int) { setIncidentChangeWindow(incidentId: $i, minutes: $m) { changeWindowMinutes } }`;
  const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

  it('reads the default window and the changes before detection; refuses viewers, unknown ids, bad windows and a second trigger by code', async () => {
    const commander = (await world.signedIn({ email: 'cara@test.local', role: 'COMMANDER', password: 'deploy-window-pass' })).token;
    const viewer = (await world.signedIn({ email: 'vera@test.local', role: 'VIEWER', password: 'deploy-window-pass' })).token;
    const billing = await world.service({ name: 'billing-api', teamId });
    const change = async (id: string, version: string, finishedAt: string) =>
      (await postChange({ id, service: 'billing-api', environment: 'production', version, finishedAt })).body.change!.id;
    const v1 = await change('billing-v1', 'v1', '2026-11-22T09:00:00Z');
    const v2 = await change('billing-v2', 'v2', '2026-11-22T09:30:00Z');
    const incident = (await must<{ createIncident: { id: string } }>(api, `mutation($s: [ID!]) { createIncident(input: { title: "Billing 5xx", severity: SEV2, startedAt: "2026-11-22T09:40:00Z", detectedAt: "2026-11-22T10:00:00Z", serviceIds: $s }) { id } }`, { s: [billing] }, commander)).createIncident.id;

    expect((await must(api, BEFORE, { id: incident }, viewer))).toEqual({ incident: { changeWindowMinutes: 240, changesBeforeDetection: [
      { role: null, change: { id: v2, version: 'v2', serviceName: 'billing-api', service: { name: 'billing-api' }, environment: 'production' } },
      { role: null, change: { id: v1, version: 'v1', serviceName: 'billing-api', service: { name: 'billing-api' }, environment: 'production' } },
    ] } });

    expect((await api.gql(LINK, { i: incident, c: v2, r: 'TRIGGERING' }, commander)).data).toEqual({ linkChangeToIncident: { id: incident, changesBeforeDetection: [{ role: 'TRIGGERING', change: { id: v2 } }, { role: null, change: { id: v1 } }] } });
    const second = await api.gql(LINK, { i: incident, c: v1, r: 'TRIGGERING' }, commander);
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', changeId: v2 });
    expect(second.errors?.[0].message).toContain('billing-api v2');
    expect((await api.gql(LINK, { i: incident, c: v1, r: 'CONTRIBUTING' }, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(LINK, { i: incident, c: NO_SUCH_ID, r: 'CONTRIBUTING' }, commander)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changeId' });
    expect((await api.gql(LINK, { i: NO_SUCH_ID, c: v1, r: 'CONTRIBUTING' }, commander)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(UNLINK, { i: incident, c: v2 }, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(UNLINK, { i: incident, c: v2 }, commander)).data).toEqual({ unlinkChangeFromIncident: { id: incident } });

    expect((await api.gql(WINDOW, { i: incident, m: 30 }, commander)).data).toEqual({ setIncidentChangeWindow: { changeWindowMinutes: 30 } });
    expect((await api.gql(WINDOW, { i: incident, m: 0 }, commander)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'minutes' });
    expect((await api.gql(WINDOW, { i: incident, m: 60 }, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(WINDOW, { i: incident, m: null }, commander)).data).toEqual({ setIncidentChangeWindow: { changeWindowMinutes: 240 } });
  });

  it('refuses a bad page of the changes query with BAD_USER_INPUT', async () => {
    for (const bad of [{ n: 0 }, { n: 201 }, { a: 'nope' }, { s: 'nope' }, { f: '2026-11-20T10:00:00Z', t: '2026-11-20T10:00:00Z' }]) {
      const res = await api.gql(`query($s: ID, $f: DateTime, $t: DateTime, $n: Int, $a: ID) { changes(serviceId: $s, from: $f, to: $t, first: $n, after: $a) { id } }`, bad, viewerToken);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('no type leadership reads names the person who made a change', async () => {
    const fields = async (type: string) => (await must<{ __type: { fields: { name: string }[] } }>(api, `query($n: String!) { __type(name: $n) { fields { name } } }`, { n: type }, admin)).__type.fields.map((f) => f.name);
    for (const type of ['Change', 'IncidentChange']) {
      expect((await fields(type)).filter((f) => /author|creator|user|deployer|sender|actor|by$/i.test(f))).toEqual([]);
    }
  });
});
