import { CHANGE_DAYS_TRIGGERS } from './functions/change-days.sql';
import { CELLS_TRIGGERS } from './functions/cells-triggers.sql';
import { FACTS_TRIGGERS, INSIGHT_FACTS_CATCH_UP } from './functions/facts-triggers.sql';
import { INSIGHT_CELLS_BUILD, INSIGHT_CELLS_LOCK, INSIGHT_CELLS_REBUILD, INSIGHT_CELLS_REPRICE } from './functions/insight-cells.sql';
import { INSIGHT_FACTS_FLAG_REPEATS } from './functions/insight-facts-flag-repeats.sql';
import { INSIGHT_FACTS_SYNC } from './functions/insight-facts-sync.sql';
import { TEAMS_TRIGGERS } from './functions/teams-triggers.sql';
import type { SqlFunction } from './sql-function';

/**
 * The insights' database functions, each defined once (./functions), in the order they are
 * applied and their rebuilds run: facts, then cells, then team rows, then the changes' days.
 */
export const INSIGHTS_FUNCTIONS: readonly SqlFunction[] = [
  INSIGHT_FACTS_FLAG_REPEATS,
  INSIGHT_FACTS_SYNC,
  ...FACTS_TRIGGERS,
  INSIGHT_FACTS_CATCH_UP,
  INSIGHT_CELLS_BUILD,
  INSIGHT_CELLS_REBUILD,
  INSIGHT_CELLS_LOCK,
  ...CELLS_TRIGGERS,
  INSIGHT_CELLS_REPRICE,
  ...TEAMS_TRIGGERS,
  ...CHANGE_DAYS_TRIGGERS,
];
