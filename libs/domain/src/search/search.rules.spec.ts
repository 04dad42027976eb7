import { searchTerms, searchTsQuery, validateSearch } from './search.rules';

describe('validateSearch', () => {
  it('accepts a query and an optional page size of 1 to 50', () => {
    expect(validateSearch('checkout latency', undefined)).toEqual([]);
    expect(validateSearch('x', null)).toEqual([]);
    expect(validateSearch('x', 1)).toEqual([]);
    expect(validateSearch('x', 50)).toEqual([]);
  });

  it('refuses an empty or blank query', () => {
    expect(validateSearch('', undefined)).toEqual([{ field: 'query', reason: 'type something to search for' }]);
    expect(validateSearch(' \t ', undefined)[0].field).toBe('query');
  });

  it('refuses control characters, NUL first of all', () => {
    expect(validateSearch('db\u0000', undefined)).toEqual([{ field: 'query', reason: 'must not contain control characters such as NUL (\\u0000)' }]);
    expect(validateSearch('db\u001b[31m', undefined)[0].field).toBe('query');
    expect(validateSearch('two\nlines\tand tabs', undefined)).toEqual([]);
  });

  it('refuses more than 200 characters, counted as people count them', () => {
    expect(validateSearch('é'.repeat(200), undefined)).toEqual([]);
    expect(validateSearch('😀'.repeat(200), undefined)).toEqual([]);
    expect(validateSearch('x'.repeat(201), undefined)).toEqual([{ field: 'query', reason: 'must be at most 200 characters (got 201)' }]);
  });

  it('refuses a page size out of range, with the range', () => {
    expect(validateSearch('x', 0)).toEqual([{ field: 'first', reason: 'must be between 1 and 50 (got 0)' }]);
    expect(validateSearch('x', 51)[0].reason).toBe('must be between 1 and 50 (got 51)');
    expect(validateSearch('x', 2.5)[0].reason).toBe('must be a whole number (got 2.5)');
  });
});

describe('searchTerms and searchTsQuery', () => {
  it('keeps letters and digits, lower-cased, each word once', () => {
    expect(searchTerms('Checkout  checkout-API: 503s!')).toEqual(['checkout', 'api', '503s']);
    expect(searchTerms('Zürich café 東京')).toEqual(['zürich', 'café', '東京']);
  });

  it('drops every character of tsquery syntax', () => {
    expect(searchTsQuery(`a' | b & !c:* <-> (d)`)).toBe('a & b & c & d');
  });

  it('matches words of three or more characters as prefixes', () => {
    expect(searchTsQuery('db check')).toBe('db & check:*');
    expect(searchTsQuery('INC-42')).toBe('inc:* & 42');
  });

  it('is null without a word, and stops at eight words', () => {
    expect(searchTsQuery('!!! ---')).toBeNull();
    expect(searchTerms('a b c d e f g h i j')).toHaveLength(8);
  });
});
