export const ROLES = ['VIEWER', 'COMMANDER', 'MANAGER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Editing rank: VIEWER < COMMANDER <= MANAGER < ADMIN. COMMANDER and MANAGER share a rank
 * because neither outranks the other; they differ in *what* they edit (see the can* rules).
 */
const RANK: Record<Role, number> = { VIEWER: 0, COMMANDER: 1, MANAGER: 1, ADMIN: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` carries at least the editing rights of `minimum`. */
export function hasAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export interface Actor {
  id: string;
  role: Role;
  /** Teams the actor belongs to (as member or manager). */
  teamIds: readonly string[];
}

/** Anyone signed in may read. */
export const canRead = (_actor: Actor): boolean => true;

/** Users, teams, services, SLOs, policies, channels, API tokens. */
export const canAdminister = (actor: Actor): boolean => actor.role === 'ADMIN';

/** Incidents, timelines, analyses and postmortems. */
export const canEditIncidents = (actor: Actor): boolean => hasAtLeast(actor.role, 'COMMANDER');

/**
 * Action items: COMMANDERs (they propose them), ADMINs, and the MANAGERs and members of the
 * owning team. A VIEWER never edits, even as a team member: leadership reads only.
 */
export function canEditActionItem(actor: Actor, ownerTeamId: string): boolean {
  if (actor.role === 'VIEWER') return false;
  if (actor.role === 'ADMIN' || actor.role === 'COMMANDER') return true;
  return actor.teamIds.includes(ownerTeamId);
}
