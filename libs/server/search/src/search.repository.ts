import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { SearchKind } from '@hindsight/domain';
import { InjectDataSource, queryRows } from '@hindsight/server-db';

export interface SearchRow {
  kind: SearchKind;
  id: string;
  /** The incident's number (incidents, postmortems, action items). */
  number: number | null;
  title: string;
  /** The matching passage of the text, or a short description when the text did not match. */
  snippet: string | null;
  rank: number;
}

/** The services' search vector, exactly as its index spells it (GlobalSearch migration). */
const SERVICE_VECTOR = `to_tsvector('english', s.name)`;

/**
 * The most recent rows of a large kind that a search ranks. Ranking every match of a common
 * word among a million incidents reads every matching row (seconds); reading the newest
 * 10,000 in index order and testing their stored vectors is bounded whatever the word.
 */
export const SEARCH_RECENT_WINDOW = 10_000;

// Enough of a long text to find a passage in; ts_headline re-parses what it is given.
const SNIPPET_SOURCE_CHARS = 20_000;
const HEADLINE_OPTIONS = 'StartSel="", StopSel="", MaxWords=24, MinWords=10, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "';

/**
 * A large kind (`table` with a `search_vector` column and an index on `recency`, id):
 * the best `first` among its newest SEARCH_RECENT_WINDOW rows; and only when fewer than
 * `first` match there (a rare word, or a small installation), the best `first` of the whole
 * table through its GIN index — a gated plan that is not run otherwise.
 */
function windowed(name: string, kind: string, table: string, recency: string): string {
  return `${name}_recent AS MATERIALIZED (
           SELECT '${kind}' AS kind, r.id, ts_rank(r.search_vector, q.q) AS rank
             FROM (SELECT id, search_vector, ${recency} AS at FROM ${table} ORDER BY ${recency} DESC, id DESC LIMIT ${SEARCH_RECENT_WINDOW}) r, q
            WHERE r.search_vector @@ q.q ORDER BY rank DESC, r.at DESC LIMIT $2),
         ${name}_all AS (
           SELECT '${kind}' AS kind, x.id, ts_rank(x.search_vector, q.q) AS rank FROM ${table} x, q
            WHERE (SELECT count(*) FROM ${name}_recent) < $2 AND x.search_vector @@ q.q ORDER BY rank DESC, x.${recency} DESC LIMIT $2)`;
}

/**
 * Global search in ONE statement: per kind, the best `first` matches by ts_rank (incidents,
 * postmortems and action items among their most recent rows first, see windowed; runbooks
 * and services, which are few, all of them); then the best of each kind before the second best
 * of any, so one kind cannot crowd out the others; snippets (ts_headline) only for the rows
 * returned. `$3`, an incident number, adds that incident first whatever the text says.
 */
@Injectable()
export class SearchRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  search(tsQuery: string, first: number, incidentNumber: number | null): Promise<SearchRow[]> {
    const headline = (text: string) => `ts_headline('english', left(${text}, ${SNIPPET_SOURCE_CHARS}), q.q, '${HEADLINE_OPTIONS}')`;
    return queryRows<SearchRow>(
      this.ds,
      `WITH q AS (SELECT to_tsquery('english', $1::text) AS q),
       ${windowed('inc', 'INCIDENT', 'incidents', 'started_at')},
       ${windowed('pm', 'POSTMORTEM', 'postmortems', 'created_at')},
       ${windowed('ai', 'ACTION_ITEM', 'action_items', 'created_at')},
       hits AS (
         (SELECT 'INCIDENT' AS kind, i.id, 1e6::real AS rank FROM incidents i WHERE i.number = $3)
         UNION ALL SELECT * FROM inc_recent UNION ALL SELECT * FROM inc_all
         UNION ALL SELECT * FROM pm_recent UNION ALL SELECT * FROM pm_all
         UNION ALL SELECT * FROM ai_recent UNION ALL SELECT * FROM ai_all
         UNION ALL
         (SELECT 'RUNBOOK', r.id, ts_rank(r.search_vector, q.q) AS rank FROM runbooks r, q
           WHERE r.search_vector @@ q.q ORDER BY rank DESC, r.updated_at DESC LIMIT $2)
         UNION ALL
         (SELECT 'SERVICE', s.id, ts_rank(${SERVICE_VECTOR}, q.q) AS rank FROM services s, q
           WHERE ${SERVICE_VECTOR} @@ q.q ORDER BY rank DESC, s.name LIMIT $2)
       ),
       best AS (
         SELECT DISTINCT ON (kind, id) kind, id, rank FROM hits ORDER BY kind, id, rank DESC
       ),
       page AS (
         SELECT kind, id, rank, row_number() OVER (PARTITION BY kind ORDER BY rank DESC, id) AS place FROM best
          ORDER BY place, rank DESC, kind, id LIMIT $2
       )
       SELECT x.kind, x.id, x.rank, coalesce(i.number, pi.number, ai.number) AS number,
              coalesce(i.title, pi.title, a.title, r.title, s.name) AS title,
              CASE x.kind
                WHEN 'INCIDENT' THEN CASE WHEN i.summary IS NULL THEN NULL ELSE ${headline('i.summary')} END
                WHEN 'POSTMORTEM' THEN nullif(${headline(`concat_ws(' ', p.summary, p.impact, p.triggering_cause, p.what_went_well, p.what_went_poorly, p.where_we_got_lucky, p.lessons)`)}, '')
                WHEN 'ACTION_ITEM' THEN CASE WHEN a.description IS NULL THEN a.priority || ' · ' || at.name ELSE ${headline('a.description')} END
                WHEN 'RUNBOOK' THEN rs.name || coalesce(' · ' || nullif(${headline(`concat_ws(' ', r.detection, r.mitigation, r.verification, r.escalation, r.rollback, r.pitfalls)`)}, ''), '')
                WHEN 'SERVICE' THEN s.kind || ' · tier ' || s.tier || ' · ' || st.name
              END AS snippet
         FROM page x CROSS JOIN q
         LEFT JOIN incidents i ON x.kind = 'INCIDENT' AND i.id = x.id
         LEFT JOIN postmortems p ON x.kind = 'POSTMORTEM' AND p.id = x.id
         LEFT JOIN incidents pi ON pi.id = p.incident_id
         LEFT JOIN action_items a ON x.kind = 'ACTION_ITEM' AND a.id = x.id
         LEFT JOIN incidents ai ON ai.id = a.incident_id
         LEFT JOIN teams at ON at.id = a.owner_team_id
         LEFT JOIN runbooks r ON x.kind = 'RUNBOOK' AND r.id = x.id
         LEFT JOIN services rs ON rs.id = r.service_id
         LEFT JOIN services s ON x.kind = 'SERVICE' AND s.id = x.id
         LEFT JOIN teams st ON st.id = s.team_id
        ORDER BY x.place, x.rank DESC, x.kind, x.id`,
      [tsQuery, first, incidentNumber],
    );
  }
}
