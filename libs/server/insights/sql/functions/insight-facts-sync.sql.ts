import { BULK_INCIDENTS, COUNTED_KIND, factsSelect, factServicesSelect, lockIncidents, REPEAT_WINDOW, SYNCED_COLUMNS } from '../facts.sql';
import { CACHED_PLANS, defineFunction } from '../sql-function';

/**
 * insight_facts_sync(ids, moved): rebuilds the facts of incidents `ids` from the raw tables
 * (deleted ones vanish). `moved` (a subset) are those whose services, start or factor
 * categories may have changed, or that were deleted: their rows by service are rebuilt and the
 * repeat flags they can affect recomputed — every incident sharing a service with one of them,
 * before or after the write, started in the 90 days after it (isRepeat looks back from the
 * LATER incident).
 */
/** A statement over the incidents of `array`: its cached plan (index look-ups) up to BULK_INCIDENTS, planned afresh for a bulk sync. */
const bulkOr = (array: string, statement: string): string => `IF cardinality(${array}) <= ${BULK_INCIDENTS} THEN
    ${statement};
  ELSE
    EXECUTE $bulk$${statement.replace(/\b(ids|moved)\b/g, (v) => (v === 'ids' ? '$1' : '$2'))}$bulk$ USING ids, moved;
  END IF;`;

export const INSIGHT_FACTS_SYNC = defineFunction({
  name: 'insight_facts_sync',
  settings: CACHED_PLANS,
  args: [['ids', 'uuid[]'], ['moved', 'uuid[]']],
  returns: 'void',
  language: 'plpgsql',
  body: `
DECLARE
  before_services uuid[];
  before_starts timestamptz[];
  followers uuid[];
BEGIN
  IF cardinality(ids) IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  -- Without the locks, two transactions writing one incident (an item completed, its postmortem
  -- published) would each rebuild its row from a snapshot lacking the other's write, and two
  -- "moved" writes could each re-flag followers on half the truth.
  ${lockIncidents('ids', 'moved')}
  IF cardinality(moved) > 0 AND cardinality(moved) <= ${BULK_INCIDENTS} THEN
    -- Where the incidents were before the write: their followers may lose their flag.
    SELECT coalesce(array_agg(service_id), '{}'), coalesce(array_agg(started_at), '{}') INTO before_services, before_starts
      FROM incident_fact_services WHERE incident_id IN (SELECT unnest(moved));
  END IF;

  -- A near miss has no fact row (an incident turned into one loses it).
  ${bulkOr('ids', `DELETE FROM incident_facts WHERE incident_id IN (SELECT id FROM incidents WHERE id IN (SELECT unnest(ids)) AND kind <> '${COUNTED_KIND}')`)}

  -- A row rewritten unchanged is left alone: no new row version, nothing for the triggers below it.
  ${bulkOr('ids', `INSERT INTO incident_facts AS f (${SYNCED_COLUMNS.join(', ')})
  ${factsSelect('ids')}
  ON CONFLICT (incident_id) DO UPDATE SET ${SYNCED_COLUMNS.filter((c) => c !== 'incident_id').map((c) => `${c} = excluded.${c}`).join(', ')}
  WHERE (${SYNCED_COLUMNS.map((c) => `f.${c}`).join(', ')}) IS DISTINCT FROM (${SYNCED_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`)}

  IF cardinality(moved) IS NULL OR cardinality(moved) = 0 THEN RETURN; END IF;
  ${bulkOr('moved', `DELETE FROM incident_fact_services WHERE incident_id IN (SELECT unnest(moved))`)}
  ${bulkOr('moved', `INSERT INTO incident_fact_services (incident_id, service_id, started_at, categories)
  ${factServicesSelect('incident_facts', 'f.incident_id IN (SELECT unnest(moved))')}`)}
  IF cardinality(moved) > ${BULK_INCIDENTS} THEN
    PERFORM insight_facts_flag_repeats(NULL);
    RETURN;
  END IF;

  -- The moved incidents and, before and after the write, every incident on one of their
  -- services started in the 90 days after one of them.
  -- LATERAL: one range scan of (service_id, started_at) per place, whatever the planner guesses.
  SELECT array_agg(DISTINCT id) INTO followers FROM (
    SELECT unnest(moved) AS id
    UNION
    SELECT p.incident_id
      FROM (SELECT * FROM unnest(before_services, before_starts) AS b(service_id, started_at)
            UNION
            SELECT service_id, started_at FROM incident_fact_services WHERE incident_id IN (SELECT unnest(moved))) w,
           LATERAL (SELECT incident_id FROM incident_fact_services p
                     WHERE p.service_id = w.service_id AND p.started_at >= w.started_at AND p.started_at <= w.started_at + ${REPEAT_WINDOW}) p
  ) c;
  PERFORM insight_facts_flag_repeats(followers);
END`,
  // Every fact row, as the sync computes it now (the facts' triggers carry the change to the cells and team rows).
  rebuild: {
    name: 'incident_facts',
    sql: `SELECT insight_facts_sync(ARRAY(SELECT id FROM incidents ORDER BY started_at), ARRAY(SELECT id FROM incidents))`,
    definition: `${factsSelect(null)}; ${factServicesSelect('incident_facts')}; DELETE near misses`,
  },
});
