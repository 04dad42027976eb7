export { SettingsPage } from './settings.page';
export { ChangePasswordPage } from './change-password.page';
