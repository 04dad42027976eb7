import type { EntityManager } from 'typeorm';
import type { SessionActor } from '@hindsight/server-graphql';

/**
 * What the catalogue needs from runbooks when a service's legacy `runbook` text is written:
 * runbooks depend on the catalogue (Runbook.service), so the catalogue cannot import them;
 * the runbooks module plugs itself in here instead (RunbooksService.onModuleInit).
 */
export interface LegacyRunbookPort {
  /** Whether the service has any runbook (read in the caller's transaction, after it locked the service). */
  hasRunbooks(em: EntityManager, serviceId: string): Promise<boolean>;
  /** Makes the service's first runbook from its legacy text, as migration 1796055564467 did, as revision 1 by `actor`, audited. */
  createFromLegacyText(em: EntityManager, actor: SessionActor, service: { id: string; name: string }, text: string, now: Date): Promise<void>;
}
