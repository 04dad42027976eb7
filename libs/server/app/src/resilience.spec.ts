// PRODUCT.md 6: the API keeps serving while Redis is down, and survives Postgres dropping its
// connections (a restart, a failover) without being restarted itself.
import { Client } from 'pg';
import { ApiHarness, startApi } from './testing';

describe('with Redis down', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis connection attempt is refused.
    api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('signs in, reads and writes, and reports itself ready but degraded', async () => {
    const token = await api.login();
    const created = await api.gql<{ createIncident: { reference: string } }>(
      `mutation { createIncident(input: { title: "Queue host unreachable", severity: SEV3, startedAt: "2026-11-20T10:00:00Z" }) { reference } }`,
      {},
      token,
    );
    expect(created.errors).toBeUndefined();
    const read = await api.gql<{ incident: { title: string } }>(`query($r: String) { incident(reference: $r) { title } }`, { r: created.data?.createIncident.reference }, token);
    expect(read.data?.incident.title).toBe('Queue host unreachable');
    const ready = await fetch(`${api.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(JSON.stringify(await ready.json())).toMatch(/redis[^}]*down/);
  });
});

describe('when Postgres drops every connection', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers again without a restart, and never with a raw database error', async () => {
    const token = await api.login();
    const me = () => api.gql<{ me: { email: string } | null }>('{ me { email } }', {}, token);
    expect((await me()).data?.me?.email).toBeDefined();

    const admin = new Client({ connectionString: api.db.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    const { rowCount } = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [api.db.name]);
    await admin.end();
    expect(rowCount).toBeGreaterThan(0);

    // A request may land on a connection that is being discarded; within a few tries the pool
    // has fresh ones. Whatever fails says so in words, with a code, not SQL.
    let answered = false;
    for (let attempt = 0; attempt < 5 && !answered; attempt++) {
      const res = await me();
      expect(res.status).toBeLessThan(500);
      for (const e of res.errors ?? []) {
        expect(e.extensions?.code).toBe('SERVICE_UNAVAILABLE');
        expect(e.extensions?.['retryable']).toBe(true);
        expect(e.message).not.toMatch(/terminat|SQL|postgres/i);
      }
      answered = res.data?.me?.email !== undefined;
      if (!answered) await new Promise((r) => setTimeout(r, 200));
    }
    expect(answered).toBe(true);
    expect((await fetch(`${api.url}/health/ready`)).status).toBe(200);
  });
});
