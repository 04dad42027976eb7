import { Injectable } from '@nestjs/common';
import { formatReference, parseReference, SEARCH_FIRST_DEFAULT, SearchKind, searchTsQuery, validateSearch } from '@hindsight/domain';
import { assertValid } from '@hindsight/server-common';
import { SearchRepository, SearchRow } from './search.repository';
import type { SearchHitType } from './search.types';

/** Where each kind of hit opens in the web app. */
function urlOf(row: SearchRow): string {
  const kind: SearchKind = row.kind;
  const reference = row.number === null ? null : encodeURIComponent(formatReference(row.number));
  switch (kind) {
    case 'INCIDENT':
      return `/incidents/${reference}`;
    case 'POSTMORTEM':
      return `/incidents/${reference}/postmortem`;
    case 'ACTION_ITEM':
      return `/action-items/${encodeURIComponent(row.id)}`;
    case 'RUNBOOK':
      return `/runbooks/${encodeURIComponent(row.id)}`;
    case 'SERVICE':
      return `/services#service-${encodeURIComponent(row.id)}`;
    default: {
      const unknown: never = kind;
      throw new Error(`unknown search kind ${String(unknown)}`);
    }
  }
}

function titleOf(row: SearchRow): string {
  if (row.number === null) return row.title;
  const reference = formatReference(row.number);
  if (row.kind === 'INCIDENT') return `${reference}: ${row.title}`;
  if (row.kind === 'POSTMORTEM') return `Postmortem of ${reference}: ${row.title}`;
  return row.title;
}

/**
 * Global search over incidents, postmortems, action items, runbooks and services. Everyone
 * signed in reads all of them (PRODUCT.md 1), so every kind is searched for every caller.
 */
@Injectable()
export class SearchService {
  constructor(private readonly repo: SearchRepository) {}

  async search(query: string, first: number | null | undefined): Promise<SearchHitType[]> {
    assertValid(validateSearch(query, first));
    // INC-<n> always has words too (inc, n), so a query without words finds nothing at all.
    const tsQuery = searchTsQuery(query);
    if (tsQuery === null) return [];
    const rows = await this.repo.search(tsQuery, first ?? SEARCH_FIRST_DEFAULT, parseReference(query));
    return rows.map((row) => ({ kind: row.kind, id: row.id, title: titleOf(row), url: urlOf(row), snippet: row.snippet }));
  }
}
