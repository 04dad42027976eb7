import { createHash } from 'node:crypto';
import { INSIGHTS_FUNCTIONS, type SqlFunction } from '@hindsight/server-insights-sql';

/**
 * Database functions whose definition lives in code, one source each (immich's
 * schema/functions.ts is the model): the rollup functions of the insights
 * (libs/server/insights/sql). Migrations create and drop them; their bodies are whatever the
 * declaration says, applied after the migrations by applyDeclaredFunctions.
 */
export const DECLARED_FUNCTIONS: readonly SqlFunction[] = INSIGHTS_FUNCTIONS;

/** Runs one statement (no parameters: several statements at once are allowed) or one with parameters. */
export type SqlRunner = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
export const functionHash = (f: SqlFunction): string => sha256(f.sql);
const definitionHash = (f: SqlFunction): string | null => (f.rebuild ? sha256(f.rebuild.definition) : null);

export interface DeclaredFunctionsReport {
  /** Signatures of the functions (re-)applied. */
  applied: string[];
  /** Names of the rebuilds run. */
  rebuilt: string[];
}

/** The declared functions whose definition differs from the one recorded in schema_functions (or is not recorded). */
export async function pendingFunctions(run: SqlRunner, functions: readonly SqlFunction[] = DECLARED_FUNCTIONS): Promise<SqlFunction[]> {
  const stored = new Map((await run<{ signature: string; hash: string }>(`SELECT signature, hash FROM schema_functions`)).map((r) => [r.signature, r.hash]));
  return functions.filter((f) => stored.get(f.signature) !== functionHash(f));
}

/**
 * Applies each declared function whose statement changed since it was recorded (in
 * `schema_functions`, migration 1796105000000) and records it; an unchanged one is not touched.
 * Then the rebuilds of those whose rows' definition changed run, each once, in declaration
 * order: rows written under the old definition are rewritten as the new one computes them. A
 * function recorded for the first time is applied without a rebuild: it replaces the body a
 * migration gave it, which wrote the same rows. Call it in one transaction with the
 * migrations' lock.
 */
export async function applyDeclaredFunctions(run: SqlRunner, functions: readonly SqlFunction[] = DECLARED_FUNCTIONS): Promise<DeclaredFunctionsReport> {
  const recorded = new Map(
    (await run<{ signature: string; definition_hash: string | null }>(`SELECT signature, definition_hash FROM schema_functions`)).map((r) => [r.signature, r.definition_hash]),
  );
  const changed = await pendingFunctions(run, functions);
  for (const f of changed) {
    await run(f.sql);
    await run(
      `INSERT INTO schema_functions (signature, hash, definition_hash) VALUES ($1, $2, $3)
       ON CONFLICT (signature) DO UPDATE SET hash = excluded.hash, definition_hash = excluded.definition_hash, applied_at = now()`,
      [f.signature, functionHash(f), definitionHash(f)],
    );
  }
  const rebuilds = new Map<string, string>();
  for (const f of changed) {
    if (f.rebuild && recorded.has(f.signature) && recorded.get(f.signature) !== definitionHash(f)) rebuilds.set(f.rebuild.name, f.rebuild.sql);
  }
  for (const sql of rebuilds.values()) await run(sql);
  return { applied: changed.map((f) => f.signature), rebuilt: [...rebuilds.keys()] };
}
