// A real OpenID Provider (the `oidc-provider` package) on loopback, for tests, in its own
// process: the package is ES modules only and wants Node 22, neither of which Jest's module
// system on Node 20 can host. Started by startTestProvider() (test-provider.ts).
//
// OIDC_TEST_SPEC (JSON): { clients: [{ client_id, client_secret, redirect_uris }], accounts: { <login>: claims } }.
// Its dev login form accepts any password for a known login. `PUT /__test/accounts/<login>`
// (JSON claims) changes an account between sign-ins. Prints "ready <issuer>" when listening.
import { createServer } from 'node:http';

// oidc-provider warns that Node 20 is not its runtime, and about its development keys, store
// and login form: all of which a test provider wants. Other warnings still show.
const warn = console.warn;
console.warn = (...args) => (String(args[0]).startsWith('oidc-provider WARNING:') ? undefined : warn(...args));
const { default: Provider } = await import('oidc-provider');

const spec = JSON.parse(process.env.OIDC_TEST_SPEC ?? '{}');
const accounts = new Map(Object.entries(spec.accounts ?? {}));

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: (spec.clients ?? []).map((c) => ({ grant_types: ['authorization_code'], response_types: ['code'], ...c })),
  async findAccount(_ctx, id) {
    const claims = accounts.get(id);
    return claims ? { accountId: id, claims: async () => ({ sub: id, ...claims }) } : undefined;
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  cookies: { keys: ['oidc-test-provider-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});
// Refused interactions and grant errors are part of what the tests provoke; not news.
provider.on('server_error', (_ctx, err) => warn(`oidc-provider server_error: ${err.stack ?? err}`));

const callback = provider.callback();
server.on('request', (req, res) => {
  const m = /^\/__test\/accounts\/([^/?]+)$/.exec(req.url ?? '');
  if (req.method === 'PUT' && m) {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      accounts.set(decodeURIComponent(m[1]), JSON.parse(body));
      res.writeHead(204).end();
    });
    return;
  }
  callback(req, res);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(`ready ${issuer}`);
