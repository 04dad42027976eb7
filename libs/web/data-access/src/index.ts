export { graphql } from './generated';
export type * from './generated/graphql';
export { createApolloClient } from './apollo.client';
export { tokenStore } from './token.store';
export { errorMessage, errorCode, fieldProblems, type FieldProblem } from './api-errors';
export { prefetchSession, SessionProvider, useSession, type Session } from './session.context';
export * from './cache';
export * from './fragments';
export { useSignedDownload } from './download';
