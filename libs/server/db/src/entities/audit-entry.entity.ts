import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text') action!: string;
  @Column('text', { name: 'entity_type' }) entityType!: string;
  @Column('text', { name: 'entity_id' }) entityId!: string;
  @Column('jsonb', { nullable: true }) before!: unknown;
  @Column('jsonb', { nullable: true }) after!: unknown;
  @Column('timestamptz', { default: () => 'now()' }) at!: Date;
}
