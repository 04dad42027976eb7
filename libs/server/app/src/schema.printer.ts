import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { IDENTITY_RESOLVERS } from '@hindsight/server-identity';
import { AuditResolver } from '@hindsight/server-audit';
import { CATALOG_RESOLVERS } from '@hindsight/server-catalog';
import { INCIDENTS_RESOLVERS } from '@hindsight/server-incidents';
import { SETTINGS_RESOLVERS } from '@hindsight/server-settings';
import { ACTION_ITEMS_RESOLVERS } from '@hindsight/server-action-items';
import { INSIGHTS_RESOLVERS } from '@hindsight/server-insights';
import { CHASE_RESOLVERS } from '@hindsight/server-chase';
import { WORK_RESOLVERS } from '@hindsight/server-work';
import { TRACKERS_RESOLVERS } from '@hindsight/server-trackers';
import { RUNBOOKS_RESOLVERS } from '@hindsight/server-runbooks';
import { SSO_RESOLVERS } from '@hindsight/server-sso';
import { SEARCH_RESOLVERS } from '@hindsight/server-search';
import { CHANGES_RESOLVERS } from '@hindsight/server-changes';
import { DRAFTS_RESOLVERS } from '@hindsight/server-drafts';
import { SLACK_RESOLVERS } from '@hindsight/server-slack';
import { LEARNING_RESOLVERS } from '@hindsight/server-learning';

/** Every resolver class of the API: the schema is built from these, without a database. */
export const ALL_RESOLVERS = [...IDENTITY_RESOLVERS, AuditResolver, ...CATALOG_RESOLVERS, ...INCIDENTS_RESOLVERS, ...SETTINGS_RESOLVERS, ...ACTION_ITEMS_RESOLVERS, ...INSIGHTS_RESOLVERS, ...CHASE_RESOLVERS, ...WORK_RESOLVERS, ...TRACKERS_RESOLVERS, ...RUNBOOKS_RESOLVERS, ...SSO_RESOLVERS, ...SEARCH_RESOLVERS, ...CHANGES_RESOLVERS, ...DRAFTS_RESOLVERS, ...SLACK_RESOLVERS, ...LEARNING_RESOLVERS];

/** The API's GraphQL schema, built from its resolvers alone (no database, no server). */
export async function buildApiSchema(): Promise<GraphQLSchema> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    return await app.get(GraphQLSchemaFactory).create(ALL_RESOLVERS);
  } finally {
    await app.close();
  }
}

/** The API's GraphQL schema as sorted SDL: what libs/shared/schema/schema.gql must hold. */
export async function printApiSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildApiSchema()))}\n`;
}
