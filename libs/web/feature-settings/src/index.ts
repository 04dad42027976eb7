export { SettingsPage } from './settings.page';
export { ChangePasswordPage } from './change-password.page';
export { MySessionsPage } from './my-sessions.page';
export { ApiTokensPage } from './api-tokens.page';
export { SlackLinkPage } from './slack-link.page';
export { startAdminSettings } from './settings.early';
