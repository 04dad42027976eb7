import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('teams')
export class TeamEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') slug!: string;
  @Column('uuid', { name: 'manager_id', nullable: true }) managerId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('team_members')
export class TeamMemberEntity {
  @PrimaryColumn('uuid', { name: 'team_id' }) teamId!: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
}
