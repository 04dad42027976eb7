import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { validateServiceAliases } from '@hindsight/domain';
import { AuditService } from '@hindsight/server-audit';
import { CatalogService, ServiceNamesPort, ServiceRow } from '@hindsight/server-catalog';
import { assertValid, badInput, badInputs, isUniqueViolation, isUuid, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { ChangesRepository } from './changes.repository';

/**
 * Service aliases (ADMIN): the other names deploys use for a service ("checkout",
 * "checkout-api-v2", a repository name). A name means one service at most: a service's own
 * name first, then aliases. Adding an alias claims the unmatched changes of that name; taking
 * one away lets its changes go unmatched again (unless the name now means another service).
 */
@Injectable()
export class ServiceAliasesService implements OnModuleInit, ServiceNamesPort {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ChangesRepository,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.catalog.useServiceNames(this);
  }

  /** A service created or renamed: its name must not be another's alias, and claims earlier unmatched changes. */
  async serviceNamed(em: EntityManager, service: { id: string; name: string }): Promise<void> {
    const [owner] = await this.repo.aliasOwners(em, [service.name]);
    if (owner && owner.serviceId !== service.id) throw badInput('input.name', `is an alias of the service "${owner.serviceName}": remove it there first (setServiceAliases)`);
    // Its own alias has become its name: the alias says nothing more.
    if (owner) await this.repo.deleteAlias(em, owner.key);
    await this.repo.matchUnmatched(em, [service.name]);
  }

  /** Replaces the service's aliases with `aliases`; answers the service. */
  async setAliases(actor: SessionActor, serviceId: string, aliases: readonly string[]): Promise<ServiceRow> {
    assertValid(validateServiceAliases(aliases));
    const wanted = aliases.map((a) => a.trim());
    try {
      await this.ds.transaction(async (em) => {
        const service = isUuid(serviceId) ? await this.repo.lockService(em, serviceId) : null;
        if (!service) throw unknownId('service', serviceId, 'serviceId');
        await this.assertFree(em, service, wanted);
        const before = (await this.repo.aliasesOf([service.id], em)).map((a) => a.alias);
        await this.repo.replaceAliases(em, service.id, wanted);
        const removed = before.filter((b) => !wanted.some((w) => w.toLowerCase() === b.toLowerCase()));
        const unmatchedChanges = await this.repo.unmatch(em, service.id, removed);
        const matchedChanges = await this.repo.matchUnmatched(em, [...wanted, ...removed]);
        await this.audit.record(em, {
          actorId: actor.id, action: 'service.aliases', entityType: 'Service', entityId: service.id,
          before: { aliases: before }, after: { aliases: wanted, matchedChanges, unmatchedChanges },
        });
      });
    } catch (e) {
      // Another ADMIN gave one of these names to another service meanwhile.
      if (isUniqueViolation(e, 'service_aliases_pkey')) throw badInput('aliases', 'one of these aliases was just given to another service: reload and try again');
      throw e;
    }
    const [row] = await this.catalog.servicesByIds([serviceId]);
    return row;
  }

  private async assertFree(em: EntityManager, service: { id: string; name: string }, wanted: readonly string[]): Promise<void> {
    const at = (name: string) => `aliases.${wanted.indexOf(name)}`;
    const named = await this.repo.servicesNamed(em, wanted);
    const owned = (await this.repo.aliasOwners(em, wanted)).filter((o) => o.serviceId !== service.id);
    const errors = [
      ...named.map((n) => ({
        field: at(n.name),
        reason: n.serviceId === service.id ? "is this service's own name: changes named so match it already" : `is the name of the service "${n.serviceName}"`,
      })),
      ...owned.map((o) => ({ field: at(o.name), reason: `is already an alias of the service "${o.serviceName}"` })),
    ];
    if (errors.length) throw badInputs(errors);
  }
}
