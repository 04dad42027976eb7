import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@hindsight/server-config';
import { GqlClient, Scenario } from '@hindsight/server-testing';
import { WorkerModule } from '../worker.module';
import { REDIS_URL } from './chase-harness';
import { SmtpReceiver } from './smtp-receiver';

/**
 * A worker's modules in this process over the database at `databaseUrl`, initialised: what a
 * spec sweeps (`get(ChaseProcessor).sweep()`) and closes. The health server takes a free port
 * and the chase interval is an hour, so only the sweeps the test runs (and the one at start-up)
 * happen; `env` adds or overrides settings (QUEUE_PREFIX, PUBLIC_URL, receivers).
 */
export async function startWorkerContext(databaseUrl: string, env: Record<string, string> = {}): Promise<INestApplicationContext> {
  const config = loadConfig({
    NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL, WORKER_HEALTH_PORT: '0', JWT_SECRET: 'w'.repeat(40), CHASE_INTERVAL_SECONDS: '3600',
    ...env,
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await app.init();
  return app;
}

/** The settings that send the worker's e-mail to `smtp`. */
export function smtpEnv(smtp: Pick<SmtpReceiver, 'port'>): Record<string, string> {
  return { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: 'Hindsight <chaser@hindsight.test>' };
}

/** Payments, made through the API: ids and session tokens by key (`admin`, `manager`, `member`). */
export interface PaymentsTeam {
  teamId: string;
  users: Record<'manager' | 'member', string>;
  tokens: Record<'admin' | 'manager' | 'member', string>;
}

/** The team the chase specs nudge: Maria Manager (a MANAGER) runs it, Mo Member (a COMMANDER) is in it; each `<key>@<domain>`. */
export async function paymentsTeam(api: GqlClient, domain: string): Promise<PaymentsTeam> {
  const world = await Scenario.asAdmin(api);
  const people = await world.people({ manager: { role: 'MANAGER', name: 'Maria Manager' }, member: { role: 'COMMANDER', name: 'Mo Member' } }, domain);
  const teamId = await world.team({ name: 'Payments', managerId: people.manager.id, memberIds: [people.member.id] });
  return {
    teamId,
    users: { manager: people.manager.id, member: people.member.id },
    tokens: { admin: world.token, manager: await world.signIn(people.manager), member: await world.signIn(people.member) },
  };
}
