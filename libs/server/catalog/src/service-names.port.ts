import type { EntityManager } from 'typeorm';

/**
 * What the catalogue tells the changes module when a service is created or renamed: changes
 * depend on the catalogue (Change.service), so the catalogue cannot import them; the changes
 * module plugs itself in here instead (ChangesService.onModuleInit). Deploys are matched to
 * services by name or alias, so a new name may claim changes kept unmatched until now, and
 * must not be another service's alias.
 */
export interface ServiceNamesPort {
  /** In the caller's transaction, the service row written or locked; throws BAD_USER_INPUT on `input.name` to refuse the name. */
  serviceNamed(em: EntityManager, service: { id: string; name: string }): Promise<void>;
}
