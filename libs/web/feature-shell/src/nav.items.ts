import type { Role } from '@hindsight/web-data-access';

export interface NavItem {
  to: string;
  label: string;
  /** Lowest role that sees the entry; everyone signed in when absent. */
  minRole?: Role;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/incidents', label: 'Incidents' },
  { to: '/action-items', label: 'Action items' },
  { to: '/reliability', label: 'Reliability' },
  { to: '/services', label: 'Services' },
  { to: '/teams', label: 'Teams' },
  { to: '/settings', label: 'Settings', minRole: 'ADMIN' },
];

const RANK: Record<Role, number> = { VIEWER: 0, COMMANDER: 1, MANAGER: 2, ADMIN: 3 };

export function visibleNavItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.minRole || RANK[role] >= RANK[item.minRole]);
}
