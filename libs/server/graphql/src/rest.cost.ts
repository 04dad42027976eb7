import { SetMetadata } from '@nestjs/common';
import { MUTATION_POINTS } from './operation.cost';

export const REST_COST_KEY = 'hindsight:rest-cost';

/** What a REST route costs unless it says otherwise: as much as a GraphQL mutation (a write, or a page read). */
export const DEFAULT_REST_POINTS = MUTATION_POINTS;

/**
 * Prices a REST route (or every route of a controller) against the caller's per-minute budget,
 * like `@Cost` prices a GraphQL field: a route that does a field's work costs what that field
 * costs (`@RestCost(1000)` for the reliability report's exports), so the export is no way
 * around the budget. Routes without it cost DEFAULT_REST_POINTS; `@RestCost(0)` for those
 * that must always answer (health probes, metrics). docs/security.md, "Limits".
 */
export const RestCost = (points: number) => SetMetadata(REST_COST_KEY, points);
