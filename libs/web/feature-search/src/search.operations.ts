import { graphql } from '@hindsight/web-data-access';

export const GlobalSearch = graphql(`
  query GlobalSearch($query: String!, $first: Int) {
    search(query: $query, first: $first) {
      kind
      id
      title
      url
      snippet
    }
  }
`);
