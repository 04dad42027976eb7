import { MigrationInterface, QueryRunner } from 'typeorm';
// The product's rule (PRODUCT.md §6), imported rather than copied: an installation migrating
// later must store the same spelling the API compares with.
import { normaliseEmail } from '@hindsight/domain';

/**
 * Issue 22, identity hardening.
 *
 * - One spelling per person: every e-mail is stored normalised (NFKC, lower case, IDNA ASCII
 *   domain) and unique exactly, instead of unique under SQL `lower()` (which folds `İ` to `i`,
 *   so `victİm@…` reached `victim@…`). Accounts whose addresses become one when normalised are
 *   never merged: the one already spelled normally (if any) keeps its address, the others keep
 *   theirs as they are, and all of them are listed in `user_email_conflicts`, which the API
 *   reports at every start until an ADMIN gives each a different address.
 * - Sign-in counters remember when a password check was last reserved (the account back-off).
 * - API tokens get a scope (existing ones keep working as READ_WRITE) and an optional expiry.
 */
export class IdentityHardening1796100000000 implements MigrationInterface {
  name = 'IdentityHardening1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_tokens
        ADD COLUMN scope text NOT NULL DEFAULT 'READ_WRITE' CHECK (scope IN ('READ_ONLY', 'READ_WRITE', 'SCIM')),
        ADD COLUMN expires_at timestamptz;
      ALTER TABLE login_attempts ADD COLUMN last_attempt_at timestamptz NOT NULL DEFAULT '-infinity';
      CREATE TABLE user_email_conflicts (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        normalised_email text NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX user_email_conflicts_email_idx ON user_email_conflicts (normalised_email);
      DROP INDEX users_email_key;
    `);
    const users: { id: string; email: string }[] = await q.query(`SELECT id, email FROM users ORDER BY created_at, id`);
    const groups = new Map<string, { id: string; email: string }[]>();
    for (const u of users) {
      const key = normaliseEmail(u.email) ?? u.email;
      groups.set(key, [...(groups.get(key) ?? []), u]);
    }
    for (const [normalised, members] of groups) {
      if (members.length === 1) {
        if (members[0].email !== normalised) await q.query(`UPDATE users SET email = $2 WHERE id = $1`, [members[0].id, normalised]);
        continue;
      }
      await q.query(`INSERT INTO user_email_conflicts (user_id, normalised_email) SELECT unnest($1::uuid[]), $2`, [members.map((m) => m.id), normalised]);
    }
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX users_email_key;
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      DROP TABLE user_email_conflicts;
      ALTER TABLE login_attempts DROP COLUMN last_attempt_at;
      ALTER TABLE api_tokens DROP COLUMN expires_at, DROP COLUMN scope;
    `);
  }
}
