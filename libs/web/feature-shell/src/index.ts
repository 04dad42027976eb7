export { AppShell } from './app-shell';
export { RequireSession } from './require-session';
export { NotFoundPage } from './not-found.page';
export { NAV_ITEMS, visibleNavItems, type NavItem } from './nav.items';
export { RoleRoute, NotAvailablePage } from './role-route';
export { DesignPage } from './design.page';
