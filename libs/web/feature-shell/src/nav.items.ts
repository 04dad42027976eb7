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
  { to: '/runbooks', label: 'Runbooks' },
  { to: '/teams', label: 'Teams' },
  // Everyone has their own settings (profile, password, sessions, tokens) under the account
  // menu; the navigation's entry is the administrators' screens.
  { to: '/settings', label: 'Settings', minRole: 'ADMIN' },
];

/** What a role can open, by the one ranking of roles (@hindsight/domain's hasAtLeast). */
export function visibleNavItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.minRole || hasAtLeast(role, item.minRole));
}
