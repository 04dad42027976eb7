import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenID Connect sign-in (issue 12). `user_identities` ties a Hindsight account to one
 * account at a provider (its `iss` + `sub`, never the e-mail, which people change).
 * `oidc_sign_in_attempts` keeps what one sign-in must prove when the provider sends the browser
 * back (state, nonce, PKCE verifier, the browser binding), in Postgres so any API replica can
 * finish what another started; `used_at` makes each attempt single-use. Only hashes of the
 * state and the browser binding are stored: a leaked table cannot finish someone's sign-in.
 */
export class SingleSignOn1796062768498 implements MigrationInterface {
  name = 'SingleSignOn1796062768498';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_identities (
        issuer text NOT NULL,
        subject text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, subject)
      );
      CREATE UNIQUE INDEX user_identities_user_issuer_key ON user_identities (user_id, issuer);

      CREATE TABLE oidc_sign_in_attempts (
        state_hash text PRIMARY KEY,
        browser_hash text NOT NULL,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        return_to text NOT NULL DEFAULT '/',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX oidc_sign_in_attempts_expires_idx ON oidc_sign_in_attempts (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE oidc_sign_in_attempts; DROP TABLE user_identities`);
  }
}
