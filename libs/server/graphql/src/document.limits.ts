import { DocumentNode, FragmentDefinitionNode, Kind, Lexer, OperationDefinitionNode, SelectionSetNode, Source, TokenKind, ValueNode, visit } from 'graphql';
import type { GraphqlLimits } from '@hindsight/server-config';
import { AppError, limitExceeded } from '@hindsight/server-common';

export type DocumentLimits = Pick<GraphqlLimits, 'documentBytes' | 'tokens' | 'aliases' | 'directives' | 'fragments' | 'depth'>;

/**
 * How often one response name may be selected in one selection set (fragments and inline
 * fragments included). graphql-js checks every pair of such fields against each other, so
 * `{ me { id } me { id } … }` 245 times, under 1,000 tokens, took 66 ms to validate.
 */
export const MAX_REPEATED_FIELD = 10;

/** The fields that check a password: at most one of them per operation (argon2 is slow on purpose). */
export const SIGN_IN_FIELDS: ReadonlySet<string> = new Set(['login', 'changePassword']);

const format = (n: number): string => n.toLocaleString('en-US');

/** Lexical tokens of a document as graphql-js counts them (comments are not tokens); a lexing error ends the count. */
export function countTokens(source: string): number {
  const lexer = new Lexer(new Source(source));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) n++;
  } catch {
    // The parser reports the syntax error, with its location.
  }
  return n;
}

/**
 * The document's size and token count, checked before anything is parsed: a refused document
 * never becomes a syntax tree. Returns the token count.
 */
export function checkSource(source: string, limits: DocumentLimits): number {
  const bytes = Buffer.byteLength(source);
  if (bytes > limits.documentBytes) {
    throw limitExceeded('QUERY_TOO_LARGE', `The GraphQL document is ${format(bytes)} bytes; the limit is ${format(limits.documentBytes)}. Send long text as variables, and split a large query into several.`, limits.documentBytes, bytes);
  }
  const tokens = countTokens(source);
  if (tokens > limits.tokens) {
    throw limitExceeded('TOO_MANY_TOKENS', `The GraphQL document has ${format(tokens)} tokens; the limit is ${format(limits.tokens)}. Ask for fewer fields, or split the query into several requests.`, limits.tokens, tokens);
  }
  return tokens;
}

/**
 * The parsed document's shape: aliases, directives and fragment definitions (as written),
 * depth and repeated fields (fragments expanded, each fragment measured once), string literals
 * that text cannot hold, and one sign-in per operation. Throws the first limit exceeded.
 */
export function checkDocument(document: DocumentNode, limits: DocumentLimits): void {
  let aliases = 0;
  let directives = 0;
  let nul: string | null = null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  const selectionSets: SelectionSetNode[] = [];
  visit(document, {
    Field: (node) => void (node.alias && aliases++),
    Directive: () => void directives++,
    FragmentDefinition: (node) => void fragments.set(node.name.value, node),
    OperationDefinition: (node) => void operations.push(node),
    SelectionSet: (node) => void selectionSets.push(node),
    Argument: (node) => {
      nul ??= nulIn(node.value, node.name.value);
    },
    VariableDefinition: (node) => {
      if (node.defaultValue) nul ??= nulIn(node.defaultValue, node.variable.name.value);
    },
  });
  if (aliases > limits.aliases) {
    throw limitExceeded('TOO_MANY_ALIASES', `The query uses ${format(aliases)} aliases; the limit is ${format(limits.aliases)}. Ask for each field once, or split the query into several requests.`, limits.aliases, aliases);
  }
  if (directives > limits.directives) {
    throw limitExceeded('TOO_MANY_DIRECTIVES', `The query uses ${format(directives)} directives; the limit is ${format(limits.directives)}. Remove repeated @include/@skip, or split the query.`, limits.directives, directives);
  }
  if (fragments.size > limits.fragments) {
    throw limitExceeded('TOO_MANY_FRAGMENTS', `The query defines ${format(fragments.size)} fragments; the limit is ${format(limits.fragments)}. Merge fragments, or split the query.`, limits.fragments, fragments.size);
  }
  if (nul !== null) throw new AppError(`${nul}: ${NUL_REASON}`, 'BAD_USER_INPUT', { field: nul, reason: NUL_REASON }, 400);

  const shape = new FragmentShapes(fragments);
  const depth = Math.max(0, ...operations.map((op) => shape.depth(op.selectionSet)));
  if (depth > limits.depth) {
    throw limitExceeded('QUERY_TOO_DEEP', `The query nests fields ${depth} deep; the limit is ${limits.depth}. Ask for less nested data, or fetch it in a second query.`, limits.depth, depth);
  }
  for (const set of selectionSets) {
    for (const [key, { count }] of shape.fields(set)) {
      if (count > MAX_REPEATED_FIELD) {
        const times = count >= COUNT_CAP ? `${format(COUNT_CAP)} or more` : format(count);
        throw limitExceeded('TOO_MANY_REPEATED_FIELDS', `"${key}" is selected ${times} times in one selection set; the limit is ${MAX_REPEATED_FIELD}. Select each field once.`, MAX_REPEATED_FIELD, count);
      }
    }
  }
  for (const op of operations) {
    if (op.operation !== 'mutation') continue;
    const signIns = [...shape.fields(op.selectionSet).values()].filter((f) => SIGN_IN_FIELDS.has(f.name)).length;
    if (signIns > 1) {
      throw limitExceeded('TOO_MANY_SIGN_INS', `An operation may sign in (login) or change a password (changePassword) once; this one asks ${format(signIns)} times. Send one per request.`, 1, signIns);
    }
  }
}

export const NUL_REASON = 'contains the NUL character (U+0000), which text cannot hold: remove it';

/** The path of a string literal holding a NUL character, e.g. `filter.search`, or null. */
function nulIn(value: ValueNode, path: string): string | null {
  if (value.kind === Kind.STRING) return value.value.includes('\u0000') ? path : null;
  if (value.kind === Kind.LIST) {
    for (const [i, item] of value.values.entries()) {
      const found = nulIn(item, `${path}.${i}`);
      if (found) return found;
    }
  }
  if (value.kind === Kind.OBJECT) {
    for (const f of value.fields) {
      const found = nulIn(f.value, `${path}.${f.name.value}`);
      if (found) return found;
    }
  }
  return null;
}

interface Selected {
  /** The field's name (a response key may be an alias of it). */
  name: string;
  /** How often the key is selected; counts stop growing past a cap, so a chain of spreads cannot overflow. */
  count: number;
}

const COUNT_CAP = MAX_REPEATED_FIELD * 1000;

/** Depth and collected fields of selection sets, each fragment worked out once (a spread chain stays linear). */
class FragmentShapes {
  private readonly depths = new Map<string, number>();
  private readonly collected = new Map<string, Map<string, Selected>>();
  private readonly expanding = new Set<string>();

  constructor(private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>) {}

  depth(set: SelectionSetNode | undefined): number {
    if (!set) return 0;
    let deepest = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + this.depth(sel.selectionSet));
      else if (sel.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, this.depth(sel.selectionSet));
      else deepest = Math.max(deepest, this.memo(sel.name.value, this.depths, 0, (frag) => this.depth(frag.selectionSet)));
    }
    return deepest;
  }

  /** The fields a selection set collects by response key, inline fragments and spreads flattened (as graphql-js collects them). */
  fields(set: SelectionSetNode): Map<string, Selected> {
    const out = new Map<string, Selected>();
    const add = (key: string, name: string, count: number) => {
      const seen = out.get(key);
      if (seen) seen.count = Math.min(COUNT_CAP, seen.count + count);
      else out.set(key, { name, count });
    };
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) add(sel.alias?.value ?? sel.name.value, sel.name.value, 1);
      else {
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? this.fields(sel.selectionSet) : this.memo(sel.name.value, this.collected, new Map<string, Selected>(), (frag) => this.fields(frag.selectionSet));
        for (const [key, f] of inner) add(key, f.name, f.count);
      }
    }
    return out;
  }

  private memo<T>(name: string, cache: Map<string, T>, cyclic: T, compute: (frag: FragmentDefinitionNode) => T): T {
    const known = cache.get(name);
    if (known !== undefined) return known;
    const frag = this.fragments.get(name);
    // An unknown or cyclic spread: graphql-js's own rules refuse the document.
    if (!frag || this.expanding.has(name)) return cyclic;
    this.expanding.add(name);
    const value = compute(frag);
    this.expanding.delete(name);
    cache.set(name, value);
    return value;
  }
}
