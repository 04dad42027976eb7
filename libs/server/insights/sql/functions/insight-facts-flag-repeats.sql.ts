import { BULK_INCIDENTS, repeatProbe, repeatsSelect } from '../facts.sql';
import { CACHED_PLANS, defineFunction } from '../sql-function';

/**
 * insight_facts_flag_repeats(ids): isRepeat of the given incidents (NULL: of all), stored in
 * incident_facts.is_repeat — a prior incident sharing a service and a factor category, started
 * in [startedAt − 90 days, startedAt).
 */
export const INSIGHT_FACTS_FLAG_REPEATS = defineFunction({
  name: 'insight_facts_flag_repeats',
  settings: CACHED_PLANS,
  args: [['ids', 'uuid[]']],
  returns: 'void',
  language: 'plpgsql',
  body: `
DECLARE
  flips uuid[];
BEGIN
  IF ids IS NULL OR cardinality(ids) > ${BULK_INCIDENTS} THEN
    -- One window pass, joined (not IN (…): a million ids do not fit a hashed subplan, and the
    -- unhashed one is quadratic); planned for its size.
    EXECUTE $bulk$
      UPDATE incident_facts f SET is_repeat = NOT f.is_repeat
        FROM (SELECT a.incident_id FROM incident_facts a LEFT JOIN (${repeatsSelect()}) r ON r.incident_id = a.incident_id
               WHERE a.is_repeat IS DISTINCT FROM (r.incident_id IS NOT NULL)) x
       WHERE f.incident_id = x.incident_id$bulk$;
    RETURN;
  END IF;
  -- The flags that change, found by key (= ANY: an index scan whatever the number of ids),
  -- then flipped by key: as one UPDATE … FROM the planner chose a sequential scan of every fact
  -- once a few hundred ids were asked for. The repeat flags' lock is held by the caller.
  flips := ARRAY(SELECT f.incident_id FROM incident_facts f WHERE f.incident_id = ANY(ids) AND f.is_repeat IS DISTINCT FROM ${repeatProbe('f')});
  IF cardinality(flips) = 0 THEN RETURN; END IF;
  UPDATE incident_facts SET is_repeat = NOT is_repeat WHERE incident_id = ANY(flips);
END`,
  rebuild: { name: 'incident_facts.is_repeat', sql: `SELECT insight_facts_flag_repeats(NULL)`, definition: `${repeatsSelect()}; ${repeatProbe('f')}` },
});
