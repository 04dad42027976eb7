import { ApiHarness, startApi } from './testing';

let api: ApiHarness;
beforeAll(async () => { api = await startApi(); });
afterAll(async () => { await api.close(); });

it('signs in the bootstrapped admin and answers me', async () => {
  const token = await api.login();
  const res = await api.gql<{ me: { email: string; role: string } }>('{ me { email role } }', {}, token);
  expect(res.data?.me).toEqual({ email: 'admin@test.local', role: 'ADMIN' });
});
