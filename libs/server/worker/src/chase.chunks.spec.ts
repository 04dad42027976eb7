import type { DataSource } from 'typeorm';
import { ChaseRepository, ChaseSweepService, SlackAppLink } from '@hindsight/server-chase';
import { loadConfig } from '@hindsight/server-config';
import { createDataSource } from '@hindsight/server-db';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { expectedWebhookDeliveries, seedChase, withClient } from './testing/chase-harness';

/*
 * The sweep in many small chunks, with the ledger statistics refreshed after the first one so
 * every later chunk is read ahead while the one before it is written: the same ledger and the
 * same outbox as one big chunk, each delivery relayed once, and nothing on a second sweep.
 */
const LADDER = ['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED', 'LEADERSHIP'];

let db: TestDatabase;
let ds: DataSource;
let sweeps: ChaseSweepService;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, JWT_SECRET: 'c'.repeat(40), PUBLIC_URL: 'https://hindsight.example.test' });
  sweeps = new ChaseSweepService(ds, new ChaseRepository(ds), config, new SlackAppLink());
}, 60_000);

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

it('records every reached step once and relays every delivery once when chunks are read ahead of the writes', async () => {
  const seed = await seedChase(db.url, 'http://127.0.0.1:9/unused', { teams: 2, perCase: 5 });
  const relayed: string[][] = [];
  const relay = async (ids: string[]) => void relayed.push(ids);

  // 50 subjects with a reached step, 4 a chunk: 13 chunks, all but the first read ahead.
  const first = await sweeps.sweep(new Date(), relay, 4, 1);
  const reached = seed.items.filter((i) => i.expected !== null);
  expect(first.evaluated).toBe(reached.length);
  expect(first.sent).toBe(reached.length);
  expect(first.superseded).toBe(reached.reduce((n, i) => n + LADDER.indexOf(i.expected as string), 0));
  expect(first.deliveries).toBe(expectedWebhookDeliveries(seed));
  expect(relayed.length).toBeGreaterThan(5);

  const ids = relayed.flat();
  expect(new Set(ids).size).toBe(ids.length);
  const pending = await withClient(db.url, (c) => c.query(`SELECT id FROM deliveries WHERE status = 'PENDING'`));
  expect(new Set(ids)).toEqual(new Set(pending.rows.map((r: { id: string }) => r.id)));

  const ledger = await withClient(db.url, (c) => c.query(`SELECT subject_id, step, superseded FROM nudges`));
  for (const item of seed.items) {
    const mine = ledger.rows.filter((r: { subject_id: string }) => r.subject_id === item.id);
    const steps = item.expected === null ? [] : LADDER.slice(0, LADDER.indexOf(item.expected) + 1);
    expect(mine.map((r: { step: string }) => r.step).sort()).toEqual([...steps].sort());
    expect(mine.filter((r: { superseded: boolean }) => !r.superseded).map((r: { step: string }) => r.step)).toEqual(item.expected ? [item.expected] : []);
  }

  const again = await sweeps.sweep(new Date(), relay, 4, 1);
  expect(again).toEqual({ evaluated: 0, sent: 0, superseded: 0, deliveries: 0, failedAtOnce: 0 });
  expect(relayed.flat()).toHaveLength(ids.length);
}, 60_000);
