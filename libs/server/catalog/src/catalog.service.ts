import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SLO_WINDOW_DAYS, FieldError, objectiveFraction, ServiceKind, SloDimension, validateServiceInput, validateSloInput } from '@hindsight/domain';
import { assertValid, badInput, isUniqueViolation, isUuid, notFound, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { CatalogRepository, ServiceRow, ServiceWrite, SloRow } from './catalog.repository';
import type { LegacyRunbookPort } from './legacy-runbook.port';
import type { ServiceNamesPort } from './service-names.port';

export interface NewService {
  name: string;
  kind: ServiceKind;
  tier: number;
  teamId: string;
  revenuePerMinute?: number | null;
  runbook?: string | null;
}

/** Only the keys present change; null clears the optional ones. */
export type ServiceChanges = { [K in keyof NewService]?: NewService[K] | null };

export interface NewSlo {
  serviceId: string;
  dimension: SloDimension;
  objective: number;
  windowDays?: number | null;
  segment?: string | null;
}

const REQUIRED_SERVICE_FIELDS = ['name', 'kind', 'tier', 'teamId'] as const;

/** Services and SLOs (ADMIN): validation by the domain rules, one transaction and audit per change. */
@Injectable()
export class CatalogService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: CatalogRepository,
    private readonly audit: AuditService,
  ) {}

  private legacyRunbooks: LegacyRunbookPort | null = null;

  /** Called once by the runbooks module: from then on legacy runbook text also makes a service's first runbook. */
  useLegacyRunbooks(port: LegacyRunbookPort): void {
    this.legacyRunbooks = port;
  }

  private serviceNames: ServiceNamesPort | null = null;

  /** Called once by the changes module: from then on a new service name may claim earlier unmatched changes. */
  useServiceNames(port: ServiceNamesPort): void {
    this.serviceNames = port;
  }

  list(): Promise<ServiceRow[]> {
    return this.repo.listServices();
  }

  /** Rows of the ids found, in no particular order: other rooms' batches. */
  servicesByIds(ids: readonly string[]): Promise<ServiceRow[]> {
    return ids.length ? this.repo.servicesByIds(ids) : Promise.resolve([]);
  }

  async createService(actor: SessionActor, input: NewService): Promise<ServiceRow> {
    assertValid(validateServiceInput(input));
    const write = toServiceWrite(input);
    return this.uniqueName(() =>
      this.ds.transaction(async (em) => {
        await this.assertWritable(em, write, null);
        const service = await this.repo.insertService(em, write);
        await this.audit.record(em, { actorId: actor.id, action: 'service.create', entityType: 'Service', entityId: service.id, after: service });
        await this.serviceNames?.serviceNamed(em, service);
        await this.firstRunbookFromLegacyText(em, actor, service);
        return service;
      }),
    );
  }

  async updateService(actor: SessionActor, id: string, changes: ServiceChanges): Promise<ServiceRow> {
    const cleared: FieldError[] = REQUIRED_SERVICE_FIELDS.filter((k) => changes[k] === null).map((k) => ({ field: `input.${k}`, reason: 'cannot be cleared' }));
    assertValid(cleared);
    return this.uniqueName(() =>
      this.ds.transaction(async (em) => {
        const before = isUuid(id) ? await this.repo.serviceForUpdate(em, id) : null;
        if (!before) throw notFound('service', id);
        const merged: NewService = { ...before, ...stripUndefined(changes) } as NewService;
        // Report only the fields the caller sent: stored values were valid when written.
        assertValid(validateServiceInput(merged).filter((e) => changes[e.field.replace('input.', '') as keyof ServiceChanges] !== undefined));
        const write = toServiceWrite(merged);
        await this.assertWritable(em, write, id);
        const after = await this.repo.updateService(em, id, write);
        await this.audit.record(em, { actorId: actor.id, action: 'service.update', entityType: 'Service', entityId: id, before, after });
        if (after.name.toLowerCase() !== before.name.toLowerCase()) await this.serviceNames?.serviceNamed(em, after);
        if (changes.runbook !== undefined) await this.firstRunbookFromLegacyText(em, actor, after);
        return after;
      }),
    );
  }

  async createSlo(actor: SessionActor, input: NewSlo): Promise<SloRow> {
    assertValid(validateSloInput(input));
    const segment = input.segment?.trim() || null;
    const write = {
      serviceId: input.serviceId,
      dimension: input.dimension,
      objective: objectiveFraction(input.objective),
      windowDays: input.windowDays ?? DEFAULT_SLO_WINDOW_DAYS,
      segment,
    };
    const duplicate = badInput(
      segment ? 'input.segment' : 'input.dimension',
      `this service already has a ${input.dimension} SLO${segment ? ` for segment "${segment}"` : ' for all customers'}`,
    );
    try {
      return await this.ds.transaction(async (em) => {
        const [service] = isUuid(write.serviceId) ? await this.repo.servicesByIds([write.serviceId], em) : [];
        if (!service) throw unknownId('service', write.serviceId, 'input.serviceId');
        if (await this.repo.sloExists(em, write)) throw duplicate;
        const slo = await this.repo.insertSlo(em, write);
        await this.audit.record(em, { actorId: actor.id, action: 'slo.create', entityType: 'Slo', entityId: slo.id, after: slo });
        return slo;
      });
    } catch (e) {
      if (isUniqueViolation(e, 'slos_service_dimension_segment_key')) throw duplicate;
      throw e;
    }
  }

  /**
   * Legacy `runbook` text written to a service without runbooks becomes its first runbook, so
   * clients still on the old field end up where the web app and the incident page look. A
   * service that already has runbooks keeps the text in the old column only: which runbook it
   * would belong to is anyone's guess. The service row is locked (inserted or FOR UPDATE), so
   * two writes of one service cannot both make a first runbook.
   */
  private async firstRunbookFromLegacyText(em: EntityManager, actor: SessionActor, service: ServiceRow): Promise<void> {
    const text = service.runbook;
    if (text === null || text.trim() === '') return;
    if (!this.legacyRunbooks) throw new Error('CatalogService: no runbooks module registered for legacy runbook text');
    if (await this.legacyRunbooks.hasRunbooks(em, service.id)) return;
    await this.legacyRunbooks.createFromLegacyText(em, actor, service, text, new Date());
  }

  private async assertWritable(em: EntityManager, s: ServiceWrite, exceptId: string | null): Promise<void> {
    if (!isUuid(s.teamId) || !(await this.repo.teamExists(em, s.teamId))) throw unknownId('team', s.teamId, 'input.teamId');
    if (await this.repo.serviceNameTaken(em, s.name, exceptId)) throw badInput('input.name', 'another service already has this name');
  }

  /** Two concurrent creates of one name: the unique index decides, the loser gets the same error. */
  private async uniqueName<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isUniqueViolation(e, 'services_name_key')) throw badInput('input.name', 'another service already has this name');
      throw e;
    }
  }
}

function toServiceWrite(s: NewService): ServiceWrite {
  return {
    name: s.name.trim(),
    kind: s.kind,
    tier: s.tier,
    teamId: s.teamId,
    revenuePerMinute: s.revenuePerMinute ?? null,
    runbook: s.runbook ?? null,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
