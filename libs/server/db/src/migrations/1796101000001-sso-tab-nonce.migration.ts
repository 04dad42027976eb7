import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sign-in page's tab nonce rides along with each OpenID Connect attempt and comes back in
 * the page's fragment, so a page accepts a fragment token only in the tab that started the
 * sign-in (docs/sso.md). Attempts live ten minutes; older ones simply have none.
 */
export class SsoTabNonce1796101000001 implements MigrationInterface {
  name = 'SsoTabNonce1796101000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE oidc_sign_in_attempts ADD COLUMN tab_nonce text CHECK (tab_nonce ~ '^[A-Za-z0-9_-]{22,64}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE oidc_sign_in_attempts DROP COLUMN tab_nonce`);
  }
}
