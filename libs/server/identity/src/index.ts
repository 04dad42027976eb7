export * from './identity.module';
export * from './identity.types';
export * from './identity.repository';
export * from './identity.loaders';
export * from './auth.service';
export * from './users.service';
export * from './teams.service';
export * from './session-token.service';
