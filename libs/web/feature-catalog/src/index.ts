export { ServicesPage } from './services.page';
export { TeamsPage } from './teams.page';
