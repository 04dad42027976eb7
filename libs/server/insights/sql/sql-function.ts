/**
 * A database function whose definition lives in code, here, and nowhere else: the migrate
 * runner (applyDeclaredFunctions in libs/server/db) runs `sql` when its hash differs from the
 * one it recorded for the function, then the function's `rebuild`. Migrations create a
 * function (so that their down() can drop it) and stop defining its body once it is declared.
 */
export interface SqlFunction {
  /** How pg_proc tells it apart: name(argument types). */
  readonly signature: string;
  /** The whole CREATE OR REPLACE FUNCTION statement. */
  readonly sql: string;
  /** The rows it writes, rewritten when what defines them changes. */
  readonly rebuild?: Rebuild;
}

/**
 * Derived rows a function writes (a rollup): when `definition` — the SQL that says what they
 * hold — differs from the one recorded, `sql` rewrites them from their sources. A change of the
 * function elsewhere (locks, plans) re-applies it without a rebuild. `name` makes a rebuild
 * run once when several changed functions ask for it.
 */
export interface Rebuild {
  readonly name: string;
  readonly sql: string;
  readonly definition: string;
}

export interface FunctionDefinition {
  readonly name: string;
  /** [name, type] of each argument. */
  readonly args?: readonly (readonly [name: string, type: string])[];
  readonly returns: string;
  readonly language: 'plpgsql' | 'sql';
  readonly volatility?: 'STABLE' | 'IMMUTABLE';
  /** Settings in force while it runs (and the functions and triggers it sets off). */
  readonly settings?: Readonly<Record<string, string>>;
  readonly body: string;
  readonly rebuild?: Rebuild;
}

/** The SqlFunction of a definition. A changed argument list or return type needs a migration: CREATE OR REPLACE cannot change them. */
export function defineFunction(d: FunctionDefinition): SqlFunction {
  const args = d.args ?? [];
  return {
    signature: `${d.name}(${args.map(([, type]) => type).join(', ')})`,
    sql: `CREATE OR REPLACE FUNCTION ${d.name}(${args.map(([name, type]) => `${name} ${type}`).join(', ')}) RETURNS ${d.returns}
LANGUAGE ${d.language}${d.volatility ? ` ${d.volatility}` : ''}${Object.entries(d.settings ?? {}).map(([k, v]) => ` SET ${k} = ${v}`).join('')} AS $fn$${d.body}$fn$`,
    ...(d.rebuild ? { rebuild: d.rebuild } : {}),
  };
}

/**
 * PL/pgSQL plans a statement once and reuses the plan, so a write pays planning once per
 * connection, not once per call (PostgreSQL would otherwise plan the first five calls afresh:
 * ~30 ms each for an incident's edit on a busy machine). The plans are built for few rows;
 * `sized` replans statements over more.
 */
export const CACHED_PLANS = { plan_cache_mode: 'force_generic_plan' } as const;

/** A trigger function (statement-level triggers: transition tables new_rows / old_rows). */
export const triggerFunction = (name: string, body: string): SqlFunction =>
  defineFunction({ name, returns: 'trigger', language: 'plpgsql', settings: CACHED_PLANS, body });

/** Up to this many rows, a statement over a trigger's transition tables runs with its cached plan. */
export const SMALL_ROWS = 50;

/**
 * A PL/pgSQL statement planned for the size of its input: with the cached plan when `rows` ≤
 * SMALL_ROWS, else planned afresh for what it reads (EXECUTE). A cached plan is built for the
 * rows of the call that built it — one, for an incident's edit — and joins two transition
 * tables in a nested loop: reused for a service's revenue (thousands of rows) it took 30 s.
 * `vars` are the PL/pgSQL variables the statement reads (passed to EXECUTE as $1, $2 …);
 * `into` assigns the value of `statement` (an expression) to a variable; `perform` runs a
 * SELECT for its effects.
 */
export function sized(rows: string, statement: string, opts: { vars?: readonly string[]; into?: string; perform?: boolean } = {}): string {
  const vars = opts.vars ?? [];
  const dynamic = vars.reduce((sql, v, k) => sql.replace(new RegExp(`\\b${v}\\b`, 'g'), () => `$${k + 1}`), statement);
  const [fixed, planned] = opts.into
    ? [`${opts.into} := (${statement});`, `EXECUTE $sized$SELECT (${dynamic})$sized$ INTO ${opts.into}`]
    : opts.perform
      ? [`PERFORM ${statement};`, `EXECUTE $sized$SELECT ${dynamic}$sized$`]
      : [`${statement};`, `EXECUTE $sized$${dynamic}$sized$`];
  return `IF ${rows} <= ${SMALL_ROWS} THEN
    ${fixed}
  ELSE
    ${planned}${vars.length ? ` USING ${vars.join(', ')}` : ''};
  END IF;`;
}
