import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A person leaves their open items: deactivated (every team), or taken off one team. */
export interface LeaverItems {
  actorId: string;
  userId: string;
  /** Only this team's items; null: every team's. */
  teamId: string | null;
  /** Kept on each item's audit entry ("assignee deactivated", "removed from the team"). */
  reason: string;
}

/**
 * What identity asks of action items when a person leaves: their open items become
 * unassigned (remembering who had them), each audited, so the chaser takes them to the owning
 * team's manager. Action items depend on identity, so identity cannot import them; the
 * action-items module plugs itself in when the API starts (OpenItemsAdapter).
 */
export interface OpenItemsPort {
  /** In the caller's transaction; returns the ids of the items unassigned. */
  unassignLeaverItems(em: EntityManager, leaver: LeaverItems): Promise<string[]>;
}

/** Where the port is plugged in. Without it a leaver's items would stay theirs, so it refuses instead. */
@Injectable()
export class OpenItems implements OpenItemsPort {
  private port: OpenItemsPort | null = null;

  use(port: OpenItemsPort): void {
    this.port = port;
  }

  unassignLeaverItems(em: EntityManager, leaver: LeaverItems): Promise<string[]> {
    if (!this.port) throw new Error('no action-items module is plugged into identity (OpenItems.use): a leaver\'s open items cannot be unassigned');
    return this.port.unassignLeaverItems(em, leaver);
  }
}
