import { LadderStep } from '../enums/contract.enums';

/**
 * Who a ladder step reaches. People (ASSIGNEE, COMMANDER, TEAM_MANAGER) are reached by
 * email; TEAM_CHANNELS are the owning team's channels (Slack, webhook, list address);
 * LEADERSHIP_CHANNELS are the channels attached to leadership rather than to a team.
 */
export type LadderAudience = 'ASSIGNEE' | 'COMMANDER' | 'TEAM_MANAGER' | 'TEAM_CHANNELS' | 'LEADERSHIP_CHANNELS';

/**
 * The PRODUCT.md 4 table, for an owner audience (the assignee of an item, the commander of
 * a postmortem):
 * - DUE_SOON, DUE, OVERDUE → the owner;
 * - ESCALATED → the owner and the team manager;
 * - LEADERSHIP → the leadership channels (the item joins the leadership digest by team;
 *   no person is named to leadership, so no personal email at this step);
 * - every step also goes to the team channels, so a team channel sees its whole ladder;
 * - without an owner, the team manager takes the owner's place.
 * Order: people first, then team channels, then leadership. When the owner is also the
 * manager the caller sends one message per distinct address.
 */
function recipients(step: LadderStep, owner: 'ASSIGNEE' | 'COMMANDER', hasOwner: boolean): LadderAudience[] {
  const person: LadderAudience = hasOwner ? owner : 'TEAM_MANAGER';
  switch (step) {
    case 'DUE_SOON':
    case 'DUE':
    case 'OVERDUE':
      return [person, 'TEAM_CHANNELS'];
    case 'ESCALATED':
      return hasOwner ? [owner, 'TEAM_MANAGER', 'TEAM_CHANNELS'] : ['TEAM_MANAGER', 'TEAM_CHANNELS'];
    case 'LEADERSHIP':
      return ['TEAM_CHANNELS', 'LEADERSHIP_CHANNELS'];
    default: {
      const unknownStep: never = step;
      throw new Error(`unknown ladder step ${String(unknownStep)}`);
    }
  }
}

/** Action items: the owner is the assignee; the team is the owning team. */
export function ladderRecipients(step: LadderStep, item: { readonly hasAssignee: boolean }): LadderAudience[] {
  return recipients(step, 'ASSIGNEE', item.hasAssignee);
}

/**
 * Postmortems: the owner is the commander; TEAM_MANAGER and TEAM_CHANNELS are those of the
 * commander's team (PRODUCT.md 4: "escalating to the manager of the commander's team").
 * Without a commander the caller uses the team owning the incident's first affected service.
 */
export function postmortemLadderRecipients(step: LadderStep, postmortem: { readonly hasCommander: boolean }): LadderAudience[] {
  return recipients(step, 'COMMANDER', postmortem.hasCommander);
}

/**
 * Runbooks have no single owner: the owning team is, so every step reaches the team's
 * manager and channels, and LEADERSHIP (as for items) the team and leadership channels.
 */
export function runbookLadderRecipients(step: LadderStep): LadderAudience[] {
  return recipients(step, 'ASSIGNEE', false);
}

/** Audiences that are people, reached by email, as opposed to channels. */
export function isPersonAudience(audience: LadderAudience): boolean {
  return audience === 'ASSIGNEE' || audience === 'COMMANDER' || audience === 'TEAM_MANAGER';
}
