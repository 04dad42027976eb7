import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';

/** The audit log without GraphQL, for the worker's modules (which have no resolvers). */
@Module({ providers: [AuditRepository, AuditService], exports: [AuditRepository, AuditService] })
export class AuditCoreModule {}

@Global()
@Module({ imports: [AuditCoreModule], providers: [AuditResolver], exports: [AuditCoreModule] })
export class AuditModule {}
