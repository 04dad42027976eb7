import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditResolver } from './audit.resolver';

@Global()
@Module({ providers: [AuditRepository, AuditResolver], exports: [AuditRepository] })
export class AuditModule {}
