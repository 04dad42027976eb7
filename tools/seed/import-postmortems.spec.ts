import type { ResolvedConfig } from '@hindsight/server-config';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { IMPORT_LABEL, importPublicPostmortems, ImportResult, readPublicPostmortems, toImportedIncidents } from './public-postmortems.import';
import { seedTestWorld, SeedTestWorld } from './seed-test.world';

// The collection is test data we may not ship: it is read where it lives, never copied here.
const DATASET = join(__dirname, '..', '..', '..', 'shared', 'data', 'public-postmortems.jsonl');
const present = existsSync(DATASET);
if (!present) console.warn(`import-postmortems.spec: skipped, ${DATASET} is absent (the public postmortem collection lives outside the repository)`);
const describeWithData = present ? describe : describe.skip;

describeWithData('import:public (public postmortem collection)', () => {
  let world: SeedTestWorld;
  let config: ResolvedConfig;
  let pg: Client;
  let first: ImportResult;

  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await pg.query(sql, params)).rows[0] as T;

  beforeAll(async () => {
    world = await seedTestWorld('import');
    ({ config, pg } = world);
    first = await importPublicPostmortems(config, DATASET, () => undefined);
  }, 300_000);

  afterAll(async () => {
    await world?.close();
  });

  it('imports one incident per distinct write-up (duplicate_of null), as IMPORT with the canonical URL as key', async () => {
    expect(first).toEqual({ records: 565, incidents: 304, created: 304, existing: 0 });
    expect(await one(`SELECT count(*)::int AS n, count(DISTINCT external_key)::int AS keys FROM incidents WHERE source = 'IMPORT'`)).toEqual({ n: 304, keys: 304 });
    expect(await one(`SELECT count(*)::int AS n FROM incidents WHERE NOT ($1 = ANY(labels))`, [IMPORT_LABEL])).toEqual({ n: 0 });
    // Imported write-ups are not chased: their postmortem exists at the source.
    expect(await one(`SELECT count(*)::int AS n FROM postmortems WHERE due_at IS NOT NULL`)).toEqual({ n: 0 });
    expect(await one(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'incident.create'`)).toEqual({ n: 304 });
  });

  it('maps dates, durations, impact, category and the URL of a spot-checked record', async () => {
    // icco record: start 2012-12-22T20:15Z, end 2012-12-23T04:23Z (488 minutes).
    const [withTimes] = toImportedIncidents(readPublicPostmortems(DATASET)).filter((r) => r.incident.startedAt?.toISOString() === '2012-12-22T20:15:00.000Z');
    const row = await one<{ started: Date; resolved: Date; ref: string }>(
      `SELECT started_at AS started, resolved_at AS resolved FROM incidents WHERE source = 'IMPORT' AND external_key = $1`,
      [withTimes.origin.externalKey],
    );
    expect((row.resolved.getTime() - row.started.getTime()) / 60_000).toBe(488);

    // danluu:0001 — Allegro, "Config Errors", dated 2018-08 from its URL; its VOID duplicate
    // (void:137) adds the incident's own date and a full production outage: merged in.
    const allegro = await one<{ id: string; title: string; severity: string; started: Date; labels: string[] }>(
      `SELECT id, title, severity, started_at AS started, labels FROM incidents WHERE external_key = 'allegro.tech/2018/08/postmortem-why-allegro-went-down.html'`,
    );
    expect(allegro.title.startsWith('Allegro: ')).toBe(true);
    expect(allegro.started.toISOString()).toBe('2018-07-18T00:00:00.000Z');
    expect(allegro.severity).toBe('SEV1');
    expect(allegro.labels).toEqual([IMPORT_LABEL, 'Allegro']);
    expect((await pg.query(`SELECT category, is_trigger FROM contributing_factors WHERE incident_id = $1`, [allegro.id])).rows).toEqual([{ category: 'CONFIG_CHANGE', is_trigger: false }]);
    expect((await pg.query(`SELECT kind, source, evidence_url FROM timeline_events WHERE incident_id = $1`, [allegro.id])).rows).toEqual([
      { kind: 'NOTE', source: 'IMPORT', evidence_url: 'https://allegro.tech/2018/08/postmortem-why-allegro-went-down.html' },
    ]);

    // VOID impact is the severity proxy: a full production outage is SEV1.
    const bySeverity = (await pg.query(`SELECT severity, count(*)::int AS n FROM incidents WHERE 'Full production outage' = ANY(string_to_array(customer_impact, ', ')) GROUP BY severity`)).rows;
    expect(bySeverity).toEqual([{ severity: 'SEV1', n: expect.any(Number) }]);
  });

  it('imports nothing twice when run again', async () => {
    const counts = `SELECT (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM timeline_events)::int AS events,
      (SELECT count(*) FROM contributing_factors)::int AS factors, (SELECT count(*) FROM audit_log)::int AS audit`;
    const before = await one(counts);
    expect(await importPublicPostmortems(config, DATASET, () => undefined)).toEqual({ records: 565, incidents: 304, created: 0, existing: 304 });
    expect(await one(counts)).toEqual(before);
  }, 120_000);
});
