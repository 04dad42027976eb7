import { ApiTokenEntity } from './api-token.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { TeamEntity, TeamMemberEntity } from './team.entity';
import { UserEntity } from './user.entity';

export { ApiTokenEntity, AuditEntryEntity, TeamEntity, TeamMemberEntity, UserEntity };

export const ENTITIES = [UserEntity, TeamEntity, TeamMemberEntity, ApiTokenEntity, AuditEntryEntity];
