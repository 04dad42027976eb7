export * from './slack.fake';
export * from './slack.driver';
