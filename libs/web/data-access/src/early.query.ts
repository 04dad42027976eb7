import type { ApolloClient, OperationVariables, TypedDocumentNode } from '@apollo/client';
import { print } from '@apollo/client/utilities';
import type { FormattedExecutionResult } from 'graphql';
import { askEarly } from './early.answers';

/**
 * Starts a query a component will soon make with these very variables (early.answers): the
 * text is the one the client sends (with its `__typename`s), so the answer fills the cache
 * alike. Resolves to the answer's data, or null.
 */
export async function startQuery<TData, TVariables extends OperationVariables>(
  client: ApolloClient,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<TData | null> {
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
  const name = operation?.kind === 'OperationDefinition' ? operation.name?.value : undefined;
  if (!name) return null;
  const answer = await askEarly(name, print(client.cache.transformDocument(document)), variables);
  return ((answer as FormattedExecutionResult<TData> | null)?.data ?? null) as TData | null;
}
