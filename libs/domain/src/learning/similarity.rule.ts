import { FactorCategory, SafeguardKind } from '../enums/contract.enums';

/**
 * Similar incidents (PRODUCT.md 5, issue 26): rank past incidents by shared services, factor
 * categories, failed-safeguard kinds and text; every match states its reasons. The database
 * narrows the candidates (indexes) and measures the text (full-text rank, trigram similarity);
 * this decides the score and the order, so both are testable without a database.
 */
export interface SimilarityProfile {
  readonly id: string;
  readonly startedAt: Date;
  readonly serviceIds: readonly string[];
  readonly categories: readonly FactorCategory[];
  readonly safeguardKinds: readonly SafeguardKind[];
  /** Title and summary words (any case); the shared significant ones become a reason. */
  readonly text: string;
}

export interface SimilarityCandidate extends SimilarityProfile {
  /**
   * Text similarity to the subject measured by the database, 0–1: the larger of the titles'
   * trigram similarity and the share of the subject's word weight (rarer words weigh more) the
   * candidate holds.
   */
  readonly textSimilarity: number;
  /** The shared words that weigh most (stems, as the database found them); the reason names them. Else significant words in common. */
  readonly sharedTerms?: readonly string[];
}

export interface SimilarityMatch {
  readonly id: string;
  readonly score: number;
  readonly reasons: string[];
}

/** The weights of each kind of evidence; a shared service with a shared factor category is the repeat rule's signal and weighs most. */
export const SIMILARITY_WEIGHTS = {
  service: 3,
  category: 2,
  serviceAndCategory: 3,
  safeguard: 1.5,
  text: 6,
} as const;

/** Caps so that one kind of evidence cannot outweigh all others (an incident on every service). */
const CAP = { services: 2, categories: 3, safeguards: 3 } as const;

/** Below this a match says nothing worth showing. */
export const MIN_SIMILARITY_SCORE = 1.5;

/** Below this the text alone is no reason. */
export const MIN_TEXT_SIMILARITY = 0.08;

export const DEFAULT_SIMILAR = 5;
export const MAX_SIMILAR = 20;

const STOP_WORDS = new Set(
  ('the a an and or of to in on for with by from at as is was were be been are this that these those it its into after before during over under ' +
    'not no but all any some our their we they due caused cause causing which when while than then there has have had also more most only out up down ' +
    'was has its incident incidents outage outages issue issues service services users user customers customer some many because about being')
    .split(' '),
);

/** Significant words of a text: lower case, letters and digits, at least 3 characters, no stop words. */
export function significantWords(text: string): Set<string> {
  const words = text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => w.length >= 3 && !STOP_WORDS.has(w)));
}

/** "CERTIFICATE_OR_SECRET" → "certificate or secret". */
export const humanize = (key: string): string => key.toLowerCase().replace(/_/g, ' ');

const shared = <T>(a: readonly T[], b: readonly T[]): T[] => {
  const set = new Set(b);
  return [...new Set(a)].filter((x) => set.has(x)).sort();
};

/**
 * The score of `candidate` against `subject` and its reasons, in the order shown:
 * "same service and factor category: …", "same service: …", "same factor category: …",
 * "same failed safeguard: …", "similar text: …". `serviceName` names services in reasons.
 */
export function scoreSimilarity(subject: SimilarityProfile, candidate: SimilarityCandidate, serviceName: (id: string) => string = (id) => id): SimilarityMatch {
  const services = shared(subject.serviceIds, candidate.serviceIds);
  const categories = shared(subject.categories, candidate.categories);
  const safeguards = shared(subject.safeguardKinds, candidate.safeguardKinds);
  const text = candidate.textSimilarity >= MIN_TEXT_SIMILARITY ? Math.min(1, candidate.textSimilarity) : 0;
  const w = SIMILARITY_WEIGHTS;
  const both = services.length > 0 && categories.length > 0;
  const score =
    w.service * Math.min(services.length, CAP.services) +
    w.category * Math.min(categories.length, CAP.categories) +
    (both ? w.serviceAndCategory : 0) +
    w.safeguard * Math.min(safeguards.length, CAP.safeguards) +
    w.text * text;
  const names = services.map(serviceName).sort((a, b) => a.localeCompare(b));
  const reasons: string[] = [];
  if (both) reasons.push(`same service and factor category: ${names.join(', ')}; ${categories.map(humanize).join(', ')}`);
  else {
    if (services.length) reasons.push(`same service: ${names.join(', ')}`);
    if (categories.length) reasons.push(`same factor category: ${categories.map(humanize).join(', ')}`);
  }
  if (safeguards.length) reasons.push(`same failed safeguard: ${safeguards.map(humanize).join(', ')}`);
  if (text > 0) {
    const words = candidate.sharedTerms?.length
      ? candidate.sharedTerms.slice(0, 5)
      : shared([...significantWords(subject.text)], [...significantWords(candidate.text)]).slice(0, 5);
    reasons.push(words.length ? `similar text: ${words.join(', ')}` : 'similar text');
  }
  return { id: candidate.id, score: Math.round(score * 1000) / 1000, reasons };
}

/**
 * The `first` (1–MAX_SIMILAR) most similar candidates to `subject`, best first; ties by the
 * more recent start, then id. The subject itself and matches scoring below
 * MIN_SIMILARITY_SCORE are left out.
 */
export function rankSimilar(
  subject: SimilarityProfile,
  candidates: readonly SimilarityCandidate[],
  first: number = DEFAULT_SIMILAR,
  serviceName?: (id: string) => string,
): (SimilarityMatch & { startedAt: Date })[] {
  const n = Math.max(1, Math.min(MAX_SIMILAR, Math.floor(first)));
  return candidates
    .filter((c) => c.id !== subject.id)
    .map((c) => ({ ...scoreSimilarity(subject, c, serviceName), startedAt: c.startedAt }))
    .filter((m) => m.score >= MIN_SIMILARITY_SCORE)
    .sort((a, b) => b.score - a.score || b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, n);
}
