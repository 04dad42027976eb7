import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FactorCategory, SafeguardKind, Severity } from '@hindsight/domain';
import { InjectDataSource, queryRows } from '@hindsight/server-db';

/** The filter of a report or of themes: incidents started in [from, to) passing team, service, severities, segment. */
export interface LearningScope {
  from: Date;
  to: Date;
  teamId?: string | null;
  serviceId?: string | null;
  severities?: readonly Severity[] | null;
  segment?: string | null;
}

export interface ProfileRow {
  id: string;
  startedAt: Date;
  serviceIds: string[];
  categories: FactorCategory[];
  safeguardKinds: SafeguardKind[];
  text: string;
}

export interface CandidateRow extends ProfileRow {
  subjectId: string;
  textSimilarity: number;
  sharedTerms: string[];
}

export interface FixedItemRow {
  id: string;
  ownerTeamId: string;
  completedAt: Date;
  serviceIds: string[];
  category: FactorCategory | null;
  safeguardKind: SafeguardKind | null;
}

export interface LaterIncidentRow {
  itemId: string;
  id: string;
  startedAt: Date;
  serviceIds: string[];
  categories: FactorCategory[];
  safeguardKinds: SafeguardKind[];
}

export interface ThemeIncidentRow {
  id: string;
  startedAt: Date;
  categories: FactorCategory[];
  safeguardKinds: SafeguardKind[];
  named: { id: string; name: string }[];
}

export interface ChecklistRow {
  postmortemId: string;
  kind: 'INCIDENT' | 'NEAR_MISS';
  impactText: string | null;
  customerImpact: string | null;
  usersAffected: number | null;
  failedRequests: number | null;
  triggeringCauseText: string | null;
  noActionReason: string | null;
  hasTriggerFactor: boolean;
  confirmedHypotheses: number;
  evidencedEvents: number;
  factors: number;
  safeguards: number;
  actions: { priority: 'P0' | 'P1' | 'P2' | 'P3'; assigned: boolean; addresses: boolean }[];
  affectedTeamIds: string[];
  reviewerTeamIds: string[];
}

export interface NearMissRow {
  nearMisses: number;
  reviewed: number;
  incidents: number;
}

export interface NamedThemeRow {
  id: string;
  name: string;
  incidents: number;
  createdAt: Date;
}

/** Candidates per branch of the similar-incidents search (each branch index-driven, most recent first). */
export const SIMILAR_CANDIDATES_PER_BRANCH = 100;
/** Document frequencies are counted up to this many incidents (a word that common says nothing). */
export const DF_CAP = 1000;
/** The rarest words of a subject the full-text branch looks for. */
export const QUERY_TERMS = 12;
/** pg_trgm similarity of titles above which a title is a candidate on its text alone. */
export const TITLE_TRIGRAM_THRESHOLD = 0.3;
/** Titles the trigram index finds that are ranked by similarity at most (a title of common words matches thousands). */
export const TRIGRAM_PREFILTER = 500;
/** Incidents (counted up to DF_CAP × 10) from which on titles are no longer a candidate branch of their own. */
export const TRIGRAM_BRANCH_MAX = DF_CAP * 10;

/** A done action item `a` as a FixedItemRow, with the factor `f` or safeguard `g` it addresses. */
const FIXED_ITEM_FROM = `a.id, a.owner_team_id AS "ownerTeamId", a.completed_at AS "completedAt",
              ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = a.incident_id) AS "serviceIds",
              f.category, g.kind AS "safeguardKind"
         FROM action_items a
         LEFT JOIN contributing_factors f ON f.id = a.addresses_factor_id
         LEFT JOIN failed_safeguards g ON g.id = a.addresses_safeguard_id`;
/** What makes it a fix whose recurrence can be looked for: done, and addressing a factor or a safeguard. */
const FIXED_ITEM = `a.status = 'DONE' AND (f.id IS NOT NULL OR g.id IS NOT NULL)`;

/** An incident's profile for similarity: services, categories, safeguard kinds, its text. */
const PROFILE = (i: string) => `${i}.id, ${i}.started_at AS "startedAt",
  ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = ${i}.id ORDER BY service_id) AS "serviceIds",
  ARRAY(SELECT DISTINCT category FROM contributing_factors WHERE incident_id = ${i}.id ORDER BY category) AS categories,
  ARRAY(SELECT DISTINCT kind FROM failed_safeguards WHERE incident_id = ${i}.id ORDER BY kind) AS "safeguardKinds",
  ${i}.title || ' ' || coalesce(${i}.summary, '') AS text`;

/** The incidents a scope covers (kind INCIDENT: near misses are counted apart). `i` is the incidents alias. */
function scopeSql(scope: LearningScope, params: unknown[], i = 'i', range: { from: Date; to: Date } = scope): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const c = [`${i}.started_at >= ${p(range.from)}::timestamptz`, `${i}.started_at < ${p(range.to)}::timestamptz`];
  if (scope.teamId) c.push(`EXISTS (SELECT 1 FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = ${i}.id AND s.team_id = ${p(scope.teamId)}::uuid)`);
  if (scope.serviceId) c.push(`EXISTS (SELECT 1 FROM incident_services x WHERE x.incident_id = ${i}.id AND x.service_id = ${p(scope.serviceId)}::uuid)`);
  if (scope.severities?.length) c.push(`${i}.severity = ANY(${p(scope.severities)}::text[])`);
  if (scope.segment) c.push(`EXISTS (SELECT 1 FROM unnest(${i}.segments) seg WHERE lower(btrim(seg)) = lower(btrim(${p(scope.segment)})))`);
  return c.join(' AND ');
}

/** Learning across incidents: the SQL that narrows and gathers; the rules in libs/domain decide. */
@Injectable()
export class LearningRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  profiles(ids: readonly string[]): Promise<ProfileRow[]> {
    return queryRows(this.ds, `SELECT ${PROFILE('i')} FROM incidents i WHERE i.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * For each subject, the incidents that share a service, a factor category or a failed-safeguard
   * kind with it, or whose text matches (full text over title and summary, trigram similarity of
   * titles), each branch through its index and capped before anything is ranked; with the text
   * similarity: the larger of the title trigram similarity and the share of the subject's
   * lexemes the candidate holds.
   *
   * What keeps it fast at hundreds of thousands of incidents (issue 26; `npm run bench:search`):
   * a word's document frequency is read from the planner's statistics of the full-text column
   * when they put it at DF_CAP or more (counting a common word through the index reads its whole
   * posting list), and counted otherwise; the full-text branch searches only words rarer than
   * DF_CAP (a common word would make every incident a candidate to rank); the trigram branch
   * ranks at most TRIGRAM_PREFILTER titles the index found, and only in installations below
   * TRIGRAM_BRANCH_MAX incidents.
   */
  candidates(subjectIds: readonly string[], perBranch = SIMILAR_CANDIDATES_PER_BRANCH): Promise<CandidateRow[]> {
    return queryRows(
      this.ds,
      `WITH total AS (SELECT count(*)::float8 AS n FROM (SELECT 1 FROM incidents LIMIT ${DF_CAP * 10}) t),
       common AS MATERIALIZED (
         -- Words the statistics put in DF_CAP incidents or more (none before the first ANALYZE); read once.
         SELECT coalesce(array_agg(e.lexeme), '{}') AS lexemes FROM pg_stats st JOIN pg_class c ON c.oid = 'incidents'::regclass
           CROSS JOIN LATERAL unnest(st.most_common_elems::text::text[]) WITH ORDINALITY AS e(lexeme, k)
          WHERE st.schemaname = current_schema() AND st.tablename = 'incidents' AND st.attname = 'search_vector'
            AND st.most_common_elem_freqs[e.k] * c.reltuples >= ${DF_CAP}
       ),
       lex AS (
         -- Each lexeme of a subject (title and summary) weighted by its rarity: ln((N + 1) / (df + 1)), df counted
         -- through the full-text index up to DF_CAP, so words every write-up shares weigh nothing. A word only the
         -- subject has (an id, a link) says nothing about similarity: left out (idf 0).
         SELECT i.id, l.lexeme, df.c AS df, CASE WHEN df.c <= 1 THEN 0 ELSE ln((total.n + 1) / (df.c + 1)) END AS idf
           FROM incidents i CROSS JOIN total CROSS JOIN common
           CROSS JOIN LATERAL unnest(tsvector_to_array(i.search_vector)) AS l(lexeme)
           CROSS JOIN LATERAL (
             SELECT CASE WHEN l.lexeme = ANY(common.lexemes) THEN ${DF_CAP}::float8
                         ELSE (SELECT count(*)::float8 FROM (SELECT 1 FROM incidents p WHERE p.search_vector @@ quote_literal(l.lexeme)::tsquery LIMIT ${DF_CAP}) x)
                    END AS c
           ) df
          WHERE i.id = ANY($1::uuid[])
       ),
       s AS MATERIALIZED (
         SELECT i.id, lower(i.title) AS title,
                coalesce((SELECT array_agg(lexeme) FROM lex WHERE lex.id = i.id AND idf > 0), '{}') AS lexemes,
                coalesce((SELECT array_agg(idf) FROM lex WHERE lex.id = i.id AND idf > 0), '{}') AS idfs,
                (SELECT sum(idf) FROM lex WHERE lex.id = i.id AND idf > 0) AS mass,
                (SELECT to_tsquery('simple', string_agg(quote_literal(lexeme), ' | '))
                   FROM (SELECT lexeme FROM lex WHERE lex.id = i.id AND idf > 0 AND df < ${DF_CAP} ORDER BY idf DESC, lexeme LIMIT ${QUERY_TERMS}) top) AS q
           FROM incidents i WHERE i.id = ANY($1::uuid[])
       )
       SELECT s.id AS "subjectId", ${PROFILE('c')},
              greatest(similarity(lower(c.title), s.title), coalesce(m.shared / nullif(s.mass, 0), 0))::float8 AS "textSimilarity",
              coalesce(m.terms, '{}') AS "sharedTerms"
         FROM s
         CROSS JOIN LATERAL (
           SELECT id FROM (
             (SELECT o.incident_id AS id, p.started_at FROM incident_services mine
                JOIN incident_services o ON o.service_id = mine.service_id AND o.incident_id <> s.id
                JOIN incidents p ON p.id = o.incident_id
               WHERE mine.incident_id = s.id ORDER BY p.started_at DESC LIMIT $2)
             UNION
             -- The EXISTS gates the branch: without it, a subject with no factors walks every incident.
             (SELECT o.incident_id, p.started_at FROM (SELECT DISTINCT category FROM contributing_factors WHERE incident_id = s.id) mine
                JOIN contributing_factors o ON o.category = mine.category AND o.incident_id <> s.id
                JOIN incidents p ON p.id = o.incident_id
               WHERE EXISTS (SELECT 1 FROM contributing_factors WHERE incident_id = s.id)
               ORDER BY p.started_at DESC LIMIT $2)
             UNION
             (SELECT o.incident_id, p.started_at FROM (SELECT DISTINCT kind FROM failed_safeguards WHERE incident_id = s.id) mine
                JOIN failed_safeguards o ON o.kind = mine.kind AND o.incident_id <> s.id
                JOIN incidents p ON p.id = o.incident_id
               WHERE EXISTS (SELECT 1 FROM failed_safeguards WHERE incident_id = s.id)
               ORDER BY p.started_at DESC LIMIT $2)
             UNION
             (SELECT p.id, p.started_at FROM incidents p WHERE s.q IS NOT NULL AND p.search_vector @@ s.q AND p.id <> s.id
               ORDER BY ts_rank(p.search_vector, s.q) DESC, p.started_at DESC LIMIT $2)
             UNION
             -- Only below TRIGRAM_BRANCH_MAX incidents: the trigram index reads the whole posting list of every
             -- trigram of the title, which grows with the installation (70 ms at 200,000); above it the other
             -- branches bring enough candidates, and title similarity still scores every candidate.
             (SELECT t.id, t.started_at FROM (
                SELECT p.id, p.started_at, similarity(lower(p.title), s.title) AS sim FROM incidents p
                 WHERE (SELECT n FROM total) < ${TRIGRAM_BRANCH_MAX} AND lower(p.title) % s.title AND p.id <> s.id LIMIT ${TRIGRAM_PREFILTER}) t
               ORDER BY t.sim DESC LIMIT $2)
           ) u GROUP BY id
         ) k
         JOIN incidents c ON c.id = k.id
         CROSS JOIN LATERAL (
           SELECT sum(w.idf) AS shared, (array_agg(w.lexeme ORDER BY w.idf DESC, w.lexeme))[1:5] AS terms
             FROM unnest(s.lexemes, s.idfs) AS w(lexeme, idf) WHERE w.lexeme = ANY(tsvector_to_array(c.search_vector))
         ) m`,
      [subjectIds, perBranch],
    );
  }

  /** The done items among `ids` that address a factor or a safeguard, with what a recurrence must share. */
  fixedItems(ids: readonly string[]): Promise<FixedItemRow[]> {
    return queryRows(
      this.ds,
      `SELECT ${FIXED_ITEM_FROM}
        WHERE a.id = ANY($1::uuid[]) AND ${FIXED_ITEM} AND a.completed_at IS NOT NULL`,
      [ids],
    );
  }

  /** Done items with an addressed factor or safeguard, completed in [from, to), of the scope's team (owner) and service. */
  fixedItemsIn(scope: LearningScope): Promise<FixedItemRow[]> {
    return queryRows(
      this.ds,
      `SELECT ${FIXED_ITEM_FROM}
        WHERE ${FIXED_ITEM} AND a.completed_at >= $1 AND a.completed_at < $2 AND a.committed
          AND ($3::uuid IS NULL OR a.owner_team_id = $3)
          AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM incident_services x WHERE x.incident_id = a.incident_id AND x.service_id = $4))
        ORDER BY a.completed_at, a.id`,
      [scope.from, scope.to, scope.teamId ?? null, scope.serviceId ?? null],
    );
  }

  /**
   * For each fixed item, the incidents (not near misses) started in (completedAt, completedAt +
   * windowDays] that share a service and its category, or have its safeguard kind: the
   * possible recurrences (the domain's fixOutcome picks the first).
   */
  laterIncidents(items: readonly FixedItemRow[], windowDays: number): Promise<LaterIncidentRow[]> {
    if (items.length === 0) return Promise.resolve([]);
    return queryRows(
      this.ds,
      `SELECT w.item_id AS "itemId", i.id, i.started_at AS "startedAt",
              ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = i.id) AS "serviceIds",
              ARRAY(SELECT DISTINCT category FROM contributing_factors WHERE incident_id = i.id) AS categories,
              ARRAY(SELECT DISTINCT kind FROM failed_safeguards WHERE incident_id = i.id) AS "safeguardKinds"
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[]) AS w(item_id, done_at, category, safeguard_kind)
         JOIN LATERAL (
           SELECT x.incident_id AS id FROM action_items a JOIN incident_services mine ON mine.incident_id = a.incident_id
             JOIN incident_services x ON x.service_id = mine.service_id
             JOIN contributing_factors f ON f.incident_id = x.incident_id AND f.category = w.category
            WHERE a.id = w.item_id AND w.category IS NOT NULL
           UNION
           SELECT g.incident_id FROM failed_safeguards g WHERE w.safeguard_kind IS NOT NULL AND g.kind = w.safeguard_kind
         ) k ON true
         JOIN incidents i ON i.id = k.id AND i.kind = 'INCIDENT'
          AND i.started_at > w.done_at AND i.started_at <= w.done_at + make_interval(days => $5)`,
      [items.map((r) => r.id), items.map((r) => r.completedAt), items.map((r) => r.category), items.map((r) => r.safeguardKind), windowDays],
    );
  }

  /** The incidents of the scope in [range.from, range.to) with categories, safeguard kinds and named themes. */
  themeIncidents(scope: LearningScope, range: { from: Date; to: Date }): Promise<ThemeIncidentRow[]> {
    const params: unknown[] = [];
    const where = scopeSql(scope, params, 'i', range);
    return queryRows(
      this.ds,
      `SELECT i.id, i.started_at AS "startedAt",
              ARRAY(SELECT DISTINCT category FROM contributing_factors WHERE incident_id = i.id) AS categories,
              ARRAY(SELECT DISTINCT kind FROM failed_safeguards WHERE incident_id = i.id) AS "safeguardKinds",
              coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name)
                          FROM incident_themes x JOIN themes t ON t.id = x.theme_id WHERE x.incident_id = i.id), '[]'::json) AS named
         FROM incidents i
        WHERE i.kind = 'INCIDENT' AND ${where}`,
      params,
    );
  }

  /** Near misses of the scope, those reviewed (postmortem published), and the incidents (not near misses) of the scope. */
  async nearMisses(scope: LearningScope): Promise<NearMissRow> {
    const params: unknown[] = [];
    const where = scopeSql(scope, params);
    const [row] = await queryRows<NearMissRow>(
      this.ds,
      `SELECT count(*) FILTER (WHERE i.kind = 'NEAR_MISS')::int AS "nearMisses",
              count(*) FILTER (WHERE i.kind = 'NEAR_MISS' AND p.status = 'PUBLISHED')::int AS reviewed,
              count(*) FILTER (WHERE i.kind = 'INCIDENT')::int AS incidents
         FROM incidents i LEFT JOIN postmortems p ON p.incident_id = i.id
        WHERE ${where}`,
      params,
    );
    return row;
  }

  /** What the review checklist reads of each postmortem. */
  checklists(postmortemIds: readonly string[]): Promise<ChecklistRow[]> {
    return queryRows(
      this.ds,
      `SELECT p.id AS "postmortemId", i.kind, p.impact AS "impactText", i.customer_impact AS "customerImpact",
              i.users_affected::float8 AS "usersAffected", i.failed_requests::float8 AS "failedRequests",
              p.triggering_cause AS "triggeringCauseText", i.no_action_reason AS "noActionReason",
              EXISTS (SELECT 1 FROM contributing_factors f WHERE f.incident_id = i.id AND f.is_trigger) AS "hasTriggerFactor",
              (SELECT count(*) FROM hypotheses h WHERE h.incident_id = i.id AND h.status = 'CONFIRMED')::int AS "confirmedHypotheses",
              (SELECT count(*) FROM timeline_events e WHERE e.incident_id = i.id AND e.evidence_url IS NOT NULL)::int AS "evidencedEvents",
              (SELECT count(*) FROM contributing_factors f WHERE f.incident_id = i.id)::int AS factors,
              (SELECT count(*) FROM failed_safeguards g WHERE g.incident_id = i.id)::int AS safeguards,
              coalesce((SELECT json_agg(json_build_object('priority', a.priority, 'assigned', a.assignee_id IS NOT NULL,
                                                          'addresses', a.addresses_factor_id IS NOT NULL OR a.addresses_safeguard_id IS NOT NULL))
                          FROM action_items a WHERE a.incident_id = i.id AND a.committed AND a.status <> 'WONT_DO'), '[]'::json) AS actions,
              ARRAY(SELECT DISTINCT s.team_id::text FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = i.id) AS "affectedTeamIds",
              ARRAY(SELECT DISTINCT tm.team_id::text FROM postmortem_reviews r JOIN team_members tm ON tm.user_id = r.reviewer_id WHERE r.postmortem_id = p.id
                    UNION SELECT t.id::text FROM postmortem_reviews r JOIN teams t ON t.manager_id = r.reviewer_id WHERE r.postmortem_id = p.id) AS "reviewerTeamIds"
         FROM postmortems p JOIN incidents i ON i.id = p.incident_id
        WHERE p.id = ANY($1::uuid[])`,
      [postmortemIds],
    );
  }

  /** The postmortems of the scope's incidents (near misses apart) with the owning teams of their affected services. */
  postmortemsInScope(scope: LearningScope): Promise<{ postmortemId: string; teamIds: string[] }[]> {
    const params: unknown[] = [];
    const where = scopeSql(scope, params);
    return queryRows(
      this.ds,
      `SELECT p.id AS "postmortemId",
              ARRAY(SELECT DISTINCT s.team_id::text FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = i.id) AS "teamIds"
         FROM incidents i JOIN postmortems p ON p.incident_id = i.id
        WHERE i.kind = 'INCIDENT' AND ${where}`,
      params,
    );
  }

  async createTheme(em: EntityManager, name: string, createdBy: string): Promise<NamedThemeRow | null> {
    const [row] = await queryRows<NamedThemeRow>(
      em,
      `INSERT INTO themes (name, created_by) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id, name, created_at AS "createdAt", 0 AS incidents`,
      [name, createdBy],
    );
    return row ?? null;
  }

  async themeById(em: EntityManager, id: string): Promise<NamedThemeRow | null> {
    const [row] = await queryRows<NamedThemeRow>(
      em,
      `SELECT t.id, t.name, t.created_at AS "createdAt", (SELECT count(*) FROM incident_themes x WHERE x.theme_id = t.id)::int AS incidents FROM themes t WHERE t.id = $1`,
      [id],
    );
    return row ?? null;
  }

  async incidentExists(em: EntityManager, id: string): Promise<boolean> {
    return (await queryRows(em, `SELECT 1 FROM incidents WHERE id = $1`, [id])).length > 0;
  }

  /** Tags (true) or untags (false) an incident; whether anything changed. */
  async setTag(em: EntityManager, themeId: string, incidentId: string, on: boolean, by: string): Promise<boolean> {
    const rows = on
      ? await queryRows(em, `INSERT INTO incident_themes (theme_id, incident_id, tagged_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`, [themeId, incidentId, by])
      : await queryRows(em, `DELETE FROM incident_themes WHERE theme_id = $1 AND incident_id = $2 RETURNING 1`, [themeId, incidentId]);
    return rows.length > 0;
  }

  namedThemes(): Promise<NamedThemeRow[]> {
    return queryRows(
      this.ds,
      `SELECT t.id, t.name, t.created_at AS "createdAt", (SELECT count(*) FROM incident_themes x WHERE x.theme_id = t.id)::int AS incidents
         FROM themes t ORDER BY lower(t.name), t.id`,
    );
  }

  /** Named themes of each incident, by name. */
  themesOfIncidents(incidentIds: readonly string[]): Promise<(NamedThemeRow & { incidentId: string })[]> {
    return queryRows(
      this.ds,
      `SELECT x.incident_id AS "incidentId", t.id, t.name, t.created_at AS "createdAt", 0 AS incidents
         FROM incident_themes x JOIN themes t ON t.id = x.theme_id WHERE x.incident_id = ANY($1::uuid[]) ORDER BY lower(t.name), t.id`,
      [incidentIds],
    );
  }
}
