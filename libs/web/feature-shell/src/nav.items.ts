import { hasAtLeast, type Role } from '@hindsight/domain';

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

/** What a role can open, by the one ranking of roles (@hindsight/domain's hasAtLeast). */
export function visibleNavItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.minRole || hasAtLeast(role, item.minRole));
}
