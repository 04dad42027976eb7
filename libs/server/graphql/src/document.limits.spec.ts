import { parse } from 'graphql';
import { AppError } from '@hindsight/server-common';
import { checkDocument, checkSource, countTokens, DocumentLimits, MAX_REPEATED_FIELD } from './document.limits';

const limits: DocumentLimits = { documentBytes: 1000, tokens: 100, aliases: 3, directives: 2, fragments: 2, depth: 3 };

function refusal(run: () => unknown): { code: unknown; limit: unknown; found: unknown; field?: unknown; status?: number; message: string } | null {
  try {
    run();
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const { code, limit, found, field } = e.extensions as Record<string, unknown>;
    return { code, limit, found, ...(field ? { field } : {}), status: e.statusCode, message: e.message };
  }
}
const shape = (query: string) => refusal(() => checkDocument(parse(query), limits));

describe('checkSource', () => {
  it('counts tokens as graphql-js does: punctuation and names, not comments', () => {
    expect(countTokens('{ me { id } }')).toBe(6);
    expect(countTokens('# a comment\n{ me }')).toBe(3);
    expect(countTokens('query($a: Int = 1) { a: f(x: $a) @skip(if: false) }')).toBe(27);
  });

  it('refuses a document over the byte limit before counting its tokens, in UTF-8 bytes', () => {
    expect(refusal(() => checkSource(`{ me } # ${'é'.repeat(500)}`, limits))).toEqual({
      code: 'QUERY_TOO_LARGE', limit: 1000, found: 1009, status: 400, message: 'The GraphQL document is 1,009 bytes; the limit is 1,000. Send long text as variables, and split a large query into several.',
    });
  });

  it('refuses a document over the token limit, saying how many it has', () => {
    expect(refusal(() => checkSource(`{ ${'a '.repeat(200)}}`, limits))).toMatchObject({ code: 'TOO_MANY_TOKENS', limit: 100, found: 202, status: 400 });
    expect(checkSource(`{ ${'a '.repeat(98)}}`, limits)).toBe(100);
  });

  it('leaves a syntax error to the parser', () => {
    expect(checkSource('{ me { ', limits)).toBe(3);
    expect(checkSource('{ "unterminated }', limits)).toBe(1);
  });
});

describe('checkDocument', () => {
  it('lets an ordinary query through', () => {
    expect(shape('query Q($n: Int) { a: items(first: $n) { id } ...F } fragment F on Query { me { id name } }')).toBeNull();
  });

  it('counts aliases as written, anywhere in the document', () => {
    expect(shape('{ a: me { id } b: me { id } c: me { id } }')).toBeNull();
    expect(shape('{ a: me { id } b: me { id } ...F } fragment F on Query { c: me { id } d: me { id } }')).toMatchObject({ code: 'TOO_MANY_ALIASES', limit: 3, found: 4 });
  });

  it('counts directives and fragment definitions', () => {
    expect(shape('{ me @skip(if: false) @include(if: true) @skip(if: true) { id } }')).toMatchObject({ code: 'TOO_MANY_DIRECTIVES', limit: 2, found: 3 });
    expect(shape('{ ...A } fragment A on Query { ...B } fragment B on Query { ...C } fragment C on Query { me { id } }')).toMatchObject({ code: 'TOO_MANY_FRAGMENTS', limit: 2, found: 3 });
  });

  it('measures depth with fragments expanded, inline fragments adding none', () => {
    expect(shape('{ a { b { c } } }')).toBeNull();
    expect(shape('{ a { b { c { d } } } }')).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 3, found: 4 });
    expect(shape('{ a { ...F } } fragment F on A { b { ... on B { c { d } } } }')).toMatchObject({ code: 'QUERY_TOO_DEEP', found: 4 });
  });

  it(`refuses a field repeated more than ${MAX_REPEATED_FIELD} times in one selection set, fragments included`, () => {
    const times = (n: number, s: string) => Array(n).fill(s).join(' ');
    expect(shape(`{ ${times(MAX_REPEATED_FIELD, 'me { id }')} }`)).toBeNull();
    expect(shape(`{ ${times(MAX_REPEATED_FIELD + 1, 'me { id }')} }`)).toMatchObject({ code: 'TOO_MANY_REPEATED_FIELDS', limit: MAX_REPEATED_FIELD, found: MAX_REPEATED_FIELD + 1 });
    expect(shape(`{ me { ${times(6, '... on User { id }')} ...F ...F ...F ...F } } fragment F on User { id name }`)).toBeNull();
    expect(shape(`{ me { ${times(6, '... on User { id }')} ...F ...F ...F ...F ...F } } fragment F on User { id name }`)).toMatchObject({ code: 'TOO_MANY_REPEATED_FIELDS', found: 11 });
  });

  it('refuses a fragment bomb (each fragment spreading the next twice) in linear time', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const refuse = () => refusal(() => checkDocument(parse(`{ ...F0 } ${chain} fragment F40 on Query { me { id } }`), { ...limits, fragments: 100, depth: 100 }));
    // The fastest of three: a busy machine can pause any one of them, not all three.
    const times = [0, 1, 2].map(() => {
      const started = performance.now();
      refuse();
      return performance.now() - started;
    });
    expect(Math.min(...times)).toBeLessThan(100);
    const result = refuse();
    expect(result).toMatchObject({ code: 'TOO_MANY_REPEATED_FIELDS', found: MAX_REPEATED_FIELD * 1000 });
    expect(result?.message).toContain('10,000 or more times');
  });

  it('allows one sign-in or password change per operation, however it is spelt', () => {
    expect(shape('mutation { login(email: "a", password: "b") { token } }')).toBeNull();
    expect(shape('mutation { a: login(email: "a", password: "b") { token } b: login(email: "a", password: "c") { token } }')).toMatchObject({ code: 'TOO_MANY_SIGN_INS', limit: 1, found: 2 });
    expect(shape('mutation { login(email: "a", password: "b") { token } ...P } fragment P on Mutation { changePassword(currentPassword: "b", newPassword: "c") }')).toMatchObject({ code: 'TOO_MANY_SIGN_INS', found: 2 });
    // One operation each is fine: only the one named runs.
    expect(shape('mutation A { login(email: "a", password: "b") { token } } mutation B { login(email: "a", password: "b") { token } }')).toBeNull();
  });

  it('refuses a string literal holding a NUL character, naming where it is', () => {
    expect(shape('{ items(filter: { search: "disk\\u0000full" }) { id } }')).toEqual({
      code: 'BAD_USER_INPUT', limit: undefined, found: undefined, field: 'filter.search', status: 400,
      message: 'filter.search: contains the NUL character (U+0000), which text cannot hold: remove it',
    });
    expect(shape('query($q: [String] = ["ok", "no\\u0000"]) { items(q: $q) { id } }')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'q.1' });
  });
});
