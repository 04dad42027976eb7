import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { normaliseEmail } from '@hindsight/domain';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import { EmailConflictRow, IdentityRepository } from './identity.repository';

export interface EmailConflict {
  normalisedEmail: string;
  accounts: Pick<EmailConflictRow, 'userId' | 'email' | 'name' | 'role' | 'active'>[];
}

/**
 * Accounts whose addresses became one address when addresses were normalised (listed by the
 * migration IdentityHardening1796100000000 in `user_email_conflicts`). Hindsight never merges
 * them: it says so at every API start, naming the accounts and what to do, until an ADMIN gives
 * all but one of them another address. Then the one left takes the normalised spelling.
 */
@Injectable()
export class EmailConflicts {
  private readonly log = new Logger('EmailConflicts');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: IdentityRepository,
    private readonly audit: AuditService,
  ) {}

  /** Settles what an ADMIN has resolved, then logs every collision still open; returns those. */
  async report(): Promise<EmailConflict[]> {
    const open = await this.ds.transaction((em) => this.settle(em, null));
    for (const c of open) {
      const accounts = c.accounts.map((a) => `${a.name} <${a.email}> (id ${a.userId}, ${a.role}${a.active ? '' : ', deactivated'})`).join(' and ');
      this.log.warn(
        `${c.accounts.length} accounts share the address ${c.normalisedEmail} once addresses are normalised: ${accounts}. ` +
          'They were not merged, and only an account already spelled that way can sign in with it. An ADMIN should give each ' +
          'account but one another address (Settings → People → e-mail, or updateUser) — or deactivate the duplicate and change its ' +
          'address — then the one left takes the normalised spelling.',
      );
    }
    return open;
  }

  /**
   * Drops accounts that no longer collide (their address changed); when one account is left
   * for an address, gives it the normalised spelling. Returns the collisions still open.
   */
  async settle(em: EntityManager, actorId: string | null): Promise<EmailConflict[]> {
    const groups = new Map<string, EmailConflictRow[]>();
    for (const row of await this.repo.lockEmailConflicts(em)) groups.set(row.normalisedEmail, [...(groups.get(row.normalisedEmail) ?? []), row]);
    const open: EmailConflict[] = [];
    for (const [normalisedEmail, rows] of groups) {
      const still = rows.filter((r) => (normaliseEmail(r.email) ?? r.email) === normalisedEmail);
      if (still.length > 1) {
        await this.repo.dropEmailConflicts(em, rows.filter((r) => !still.includes(r)).map((r) => r.userId));
        open.push({ normalisedEmail, accounts: still.map(({ userId, email, name, role, active }) => ({ userId, email, name, role, active })) });
        continue;
      }
      await this.repo.dropEmailConflicts(em, rows.map((r) => r.userId));
      const last = still[0];
      if (last && last.email !== normalisedEmail && !(await this.repo.emailTaken(em, normalisedEmail, last.userId))) {
        await this.repo.setEmail(em, last.userId, normalisedEmail);
        await this.audit.record(em, { actorId, action: 'user.normalise-email', entityType: 'User', entityId: last.userId, before: { email: last.email }, after: { email: normalisedEmail } });
      }
    }
    return open;
  }
}
