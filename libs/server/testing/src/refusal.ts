/** What a GraphQL client would read of a refused call: the error's extensions and message. */
export interface Refusal {
  extensions: { code?: string; field?: string } & Record<string, unknown>;
  message: string;
}

/**
 * The refusal a service call ends in, for module-level specs that assert what the API would
 * send (`extensions.code`, `field`, the message); fails the test when the call succeeds.
 *
 *   expect((await refusal(analysis.decideHypothesis(actor, id, 'OPEN', 'x'))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
 */
export async function refusal(work: Promise<unknown>): Promise<Refusal> {
  try {
    await work;
  } catch (e) {
    return { extensions: (e as { extensions?: Refusal['extensions'] }).extensions ?? {}, message: e instanceof Error ? e.message : String(e) };
  }
  throw new Error('expected a refusal, got an answer');
}
