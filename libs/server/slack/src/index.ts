export * from './slack.module';
export * from './slack.api';
export * from './slack-app.adapter';
export * from './slack-settings.service';
export * from './slack-housekeeping.service';
export * from './slack-people.service';
export * from './slack.types';
export * from './slack.signature';
