import type { FormattedExecutionResult } from 'graphql';
import { tokenStore } from './token.store';

/**
 * Requests sent before the component that needs them has rendered (an opened page's own query
 * and its panels', as soon as their variables are known): the client's boot link hands each
 * answer to the first identical operation, so the page finds it answered or in flight instead
 * of asking once it has rendered. An answer is kept only briefly and only for the token it was
 * asked with, so nothing stale is ever served.
 */
type Answer = Promise<FormattedExecutionResult | null>;
const KEEP_MS = 10_000;
const answers = new Map<string, { token: string; asked: number; answer: Answer }>();

/** Key order does not matter: `{ a, b }` and `{ b, a }` are the same variables. */
function keyOf(operationName: string, variables: Record<string, unknown> | undefined): string {
  // An absent variable and an undefined one are the same request.
  const sorted = Object.keys(variables ?? {})
    .filter((k) => variables?.[k] !== undefined)
    .sort()
    .map((k) => [k, variables?.[k]]);
  return `${operationName} ${JSON.stringify(sorted)}`;
}

/**
 * Sends `query` (its text as the client would send it) now, with the signed-in token; the
 * answer resolves to null on any trouble, and the operation then asks again the usual way.
 */
export function askEarly(operationName: string, query: string, variables: Record<string, unknown> = {}): Answer | null {
  const token = tokenStore.get();
  if (!token) return null;
  const key = keyOf(operationName, variables);
  const known = answers.get(key);
  if (known && known.token === token && Date.now() - known.asked < KEEP_MS) return known.answer;
  const answer = fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ operationName, query, variables }),
  })
    .then((res) => (res.ok ? (res.json() as Promise<FormattedExecutionResult>) : null))
    .catch(() => null);
  answers.set(key, { token, asked: Date.now(), answer });
  return answer;
}

/** The early answer to this operation, once, if it is recent and was asked with the current token. */
export function takeEarlyAnswer(operationName: string, variables: Record<string, unknown> | undefined): Answer | null {
  const key = keyOf(operationName, variables);
  const early = answers.get(key);
  answers.delete(key);
  return early && early.token === tokenStore.get() && Date.now() - early.asked < KEEP_MS ? early.answer : null;
}
