import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource, queryOne } from '@hindsight/server-db';
import type { UserRow } from '@hindsight/server-identity';

/** One sign-in attempt as its callback finds it. */
export interface AttemptRow {
  browserHash: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** The sign-in page's tab nonce, handed back so only the tab that started this can use its token. */
  tabNonce: string | null;
  expired: boolean;
  /** True when this very look-up did not claim it: an earlier callback already used it. */
  alreadyUsed: boolean;
}

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.active, u.created_at AS "createdAt"`;

/** All SQL of single sign-on: sign-in attempts and the links between accounts and a provider's subjects. */
@Injectable()
export class SsoRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insertAttempt(a: { stateHash: string; browserHash: string; nonce: string; codeVerifier: string; returnTo: string; tabNonce: string | null; ttlSeconds: number }): Promise<void> {
    await this.ds.query(
      `INSERT INTO oidc_sign_in_attempts (state_hash, browser_hash, nonce, code_verifier, return_to, tab_nonce, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
      [a.stateHash, a.browserHash, a.nonce, a.codeVerifier, a.returnTo, a.tabNonce, a.ttlSeconds],
    );
  }

  /**
   * Claims the attempt for one callback: the first caller marks it used, any later (a replayed
   * callback, another replica racing) sees `alreadyUsed`. One statement, so no two callers both win.
   */
  async claimAttempt(stateHash: string): Promise<AttemptRow | null> {
    return queryOne<AttemptRow>(
      this.ds,
      `WITH claimed AS (
         UPDATE oidc_sign_in_attempts SET used_at = now() WHERE state_hash = $1 AND used_at IS NULL RETURNING state_hash
       )
       SELECT a.browser_hash AS "browserHash", a.nonce, a.code_verifier AS "codeVerifier", a.return_to AS "returnTo", a.tab_nonce AS "tabNonce",
              a.expires_at <= now() AS expired, NOT EXISTS (SELECT 1 FROM claimed) AS "alreadyUsed"
         FROM oidc_sign_in_attempts a WHERE a.state_hash = $1`,
      [stateHash],
    );
  }

  /**
   * Drops attempts an hour past their expiry, at every new attempt, so that a flood of
   * unfinished sign-ins cannot grow the table for long; the hour keeps "expired" (rather than
   * "unknown") for a late callback.
   */
  async pruneAttempts(): Promise<void> {
    await this.ds.query(`DELETE FROM oidc_sign_in_attempts WHERE expires_at < now() - interval '1 hour'`);
  }

  /** The account tied to the provider's subject, locked for this sign-in. */
  async lockUserByIdentity(em: EntityManager, issuer: string, subject: string): Promise<UserRow | null> {
    return queryOne(em, `SELECT ${USER_COLUMNS} FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = $1 AND i.subject = $2 FOR UPDATE OF u`, [issuer, subject]);
  }

  /** The account with exactly this normalised address (normaliseEmail), locked for this sign-in. */
  async lockUserByEmail(em: EntityManager, email: string): Promise<UserRow | null> {
    return queryOne(em, `SELECT ${USER_COLUMNS} FROM users u WHERE u.email = $1 FOR UPDATE`, [email]);
  }

  async hasIdentityAt(em: EntityManager, userId: string, issuer: string): Promise<boolean> {
    const rows = await em.query(`SELECT 1 FROM user_identities WHERE user_id = $1 AND issuer = $2`, [userId, issuer]);
    return rows.length > 0;
  }

  async linkIdentity(em: EntityManager, userId: string, issuer: string, subject: string): Promise<void> {
    await em.query(`INSERT INTO user_identities (issuer, subject, user_id) VALUES ($1, $2, $3)`, [issuer, subject, userId]);
  }

  async touchIdentity(em: EntityManager, issuer: string, subject: string): Promise<void> {
    await em.query(`UPDATE user_identities SET last_sign_in_at = now() WHERE issuer = $1 AND subject = $2`, [issuer, subject]);
  }
}
