import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface TestAccountClaims {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Changes an account at the provider (its groups, e-mail…) before its next sign-in. */
  setAccount(login: string, claims: TestAccountClaims): Promise<void>;
  close(): Promise<void>;
}

/** A free loopback port, for an API whose PUBLIC_URL the provider must know before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A real OpenID Provider (`oidc-provider`) in a child process on loopback, with one confidential
 * client whose redirect URI is `<publicUrl>/auth/oidc/callback`, and the given accounts.
 */
export async function startTestProvider(publicUrl: string, accounts: Record<string, TestAccountClaims>): Promise<TestProvider> {
  const clientId = 'hindsight-test';
  const clientSecret = 'hindsight-test-client-secret';
  const spec = { clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [`${publicUrl}/auth/oidc/callback`] }], accounts };
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.main.mjs')], {
    env: { ...process.env, NODE_OPTIONS: '', OIDC_TEST_SPEC: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the test OpenID Provider did not start: ${out}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ready (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the test OpenID Provider exited with ${code}: ${out}`));
    });
  });
  return {
    issuer, clientId, clientSecret,
    async setAccount(login, claims) {
      const res = await fetch(`${issuer}/__test/accounts/${encodeURIComponent(login)}`, { method: 'PUT', body: JSON.stringify(claims) });
      if (res.status !== 204) throw new Error(`setAccount ${login}: ${res.status}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
