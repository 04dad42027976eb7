import Ajv from 'ajv';
import type * as AdaptiveCards from 'adaptivecards';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

// The package's main entry is ES modules imported without file extensions, which Node cannot load; its UMD build can.
const { AdaptiveCard, SerializationContext, Versions } = createRequire(__filename)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'adaptive-card-1.5.schema.json'), 'utf8')));

/**
 * What is wrong with an Adaptive Card, for Teams (empty: nothing). Two independent checks:
 * the documented 1.5 schema of the elements a Hindsight card may use (fixtures/, strict: an
 * undocumented property or element fails), and Microsoft's own object model (the `adaptivecards`
 * package) at version 1.5, which must parse it without a warning and write the same card back
 * (a property it does not know at 1.5 would be dropped).
 */
export function adaptiveCardProblems(card: unknown): string[] {
  const problems: string[] = [];
  if (!validate(card)) problems.push(...(validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
  const parsed = new AdaptiveCard();
  const context = new SerializationContext(Versions.v1_5);
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`adaptivecards: ${context.getEventAt(i).message}`);
  const written = parsed.toJSON(new SerializationContext(Versions.v1_5));
  if (!isDeepStrictEqual(written, card)) problems.push(`adaptivecards writes it back otherwise: ${JSON.stringify(written)}`);
  return problems;
}

/** The card's Action.OpenUrl buttons, in order. */
export function openUrlActions(card: { actions?: { type: string; title?: string; url?: string }[] }): { title: string; url: string }[] {
  return (card.actions ?? []).filter((a) => a.type === 'Action.OpenUrl').map((a) => ({ title: a.title ?? '', url: a.url ?? '' }));
}
