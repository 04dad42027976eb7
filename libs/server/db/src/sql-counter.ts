import type { Logger, QueryRunner } from 'typeorm';

/** A TypeORM logger that counts statements, so tests can prove a page costs O(1) queries. */
export class SqlCounter implements Logger {
  count = 0;
  statements: string[] = [];

  reset(): void {
    this.count = 0;
    this.statements = [];
  }

  logQuery(query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (/^(START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(query)) return;
    this.count++;
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
