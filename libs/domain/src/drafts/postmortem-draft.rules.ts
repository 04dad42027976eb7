/*
 * A first draft of a postmortem section from a model the customer runs (PRODUCT.md 6, issue
 * 26). The rules here are pure: what is sent to the model (built only from the incident record
 * the requesting person reads), how its answer is read, and which citations survive. Every
 * sentence must rest on timeline events; the model sees them under short labels (E1, E2, …),
 * so a citation is valid only if it names an event that was sent. Anything else (an invented
 * label, another incident's event id) is dropped, and a sentence left without a citation is
 * marked as such.
 */

export const DRAFT_SECTIONS = ['summary', 'impact', 'triggeringCause', 'contributingFactors', 'whatWentWell', 'whatWentPoorly', 'whereWeGotLucky', 'lessons'] as const;
export type DraftSection = (typeof DRAFT_SECTIONS)[number];

export const DRAFT_OUTCOMES = ['KEPT', 'EDITED', 'DISCARDED'] as const;
export type DraftOutcome = (typeof DRAFT_OUTCOMES)[number];

export function isDraftSection(value: string): value is DraftSection {
  return (DRAFT_SECTIONS as readonly string[]).includes(value);
}

/** What each section asks the model for. */
const SECTION_ASKS: Record<DraftSection, string> = {
  summary: 'a short summary of the incident: what happened, when, how it was detected, how it was mitigated and resolved (3–6 sentences)',
  impact: 'the impact: who and what was affected, for how long, and how badly (2–5 sentences)',
  triggeringCause: 'the triggering cause: the change or event that set the incident off, stated as what the system did (1–3 sentences)',
  contributingFactors:
    'the contributing factors: conditions in the system that made the incident possible or worse; start each sentence with its category in brackets, one of ' +
    '[RELEASE_REGRESSION], [CONFIG_CHANGE], [CAPACITY], [BAD_DATA], [FEATURE_STORE_LAG], [DEPENDENCY_OUTAGE], [MODEL_VERSION], [ABNORMAL_TRAFFIC], [INFRASTRUCTURE], [NETWORK], [SECURITY], [CERTIFICATE_OR_SECRET], [PROCESS], [OBSERVABILITY_GAP], [OTHER] (2–6 sentences)',
  whatWentWell: 'what went well in the response (2–4 sentences)',
  whatWentPoorly: 'what went poorly in the response, as gaps in the system and its tools, never in people (2–4 sentences)',
  whereWeGotLucky: 'where the team got lucky: things that limited the damage by chance (1–3 sentences)',
  lessons: 'the lessons learned from the timeline: what the system and the process should do differently (2–5 sentences)',
};

export const DRAFT_SECTION_TITLES: Record<DraftSection, string> = {
  summary: 'Summary',
  impact: 'Impact',
  triggeringCause: 'Triggering cause',
  contributingFactors: 'Contributing factors',
  whatWentWell: 'What went well',
  whatWentPoorly: 'What went poorly',
  whereWeGotLucky: 'Where we got lucky',
  lessons: 'Lessons',
};

/** The incident record as the requesting person reads it: what a draft may be built from. */
export interface DraftMaterial {
  reference: string;
  title: string;
  severity: string;
  status: string;
  startedAt: Date;
  detectedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  services: readonly string[];
  summary: string | null;
  customerImpact: string | null;
  usersAffected: number | null;
  failedRequests: number | null;
  timeline: readonly { id: string; occurredAt: Date; kind: string; description: string }[];
  hypotheses: readonly { statement: string; status: string; evidence: string | null }[];
  factors: readonly { category: string; description: string; isTrigger: boolean }[];
  safeguards: readonly { kind: string; expectedBehavior: string; whyItFailed: string }[];
  /** Changes to the incident's services shortly before detection (deploys). */
  changes: readonly { service: string; version: string | null; environment: string; status: string; finishedAt: Date; role: string | null }[];
}

/** At most this many timeline events go to the model (the latest are kept when there are more). */
export const DRAFT_MAX_EVENTS = 300;
/** Free text fields are cut to this many characters each in the prompt. */
export const DRAFT_MAX_FIELD_CHARS = 2000;

export interface DraftRequest {
  messages: { role: 'system' | 'user'; content: string }[];
  /** Label sent to the model → timeline event id. */
  labels: Map<string, string>;
  /** What was sent, for the audit log: counts and event ids, never the text. */
  sent: DraftSentRecord;
}

export interface DraftSentRecord {
  section: DraftSection;
  incident: string;
  fields: string[];
  timelineEventIds: string[];
  hypotheses: number;
  factors: number;
  safeguards: number;
  changes: number;
  characters: number;
}

const cut = (text: string, max = DRAFT_MAX_FIELD_CHARS): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const oneLine = (text: string): string => cut(text.replace(/\s+/g, ' ').trim());
const iso = (d: Date | null): string => (d ? d.toISOString() : 'unknown');

export const DRAFT_SYSTEM_PROMPT = [
  'You help an engineering team write a blameless postmortem. You propose one section; people decide what to keep.',
  'Rules:',
  '- Use only the incident record you are given. Do not invent facts, numbers or names.',
  '- Every sentence must cite the timeline events it rests on, by their labels (E1, E2, …). A sentence you cannot support with an event: leave it out, or give it an empty list of citations.',
  '- Blameless language: describe what the system, the tools and the process allowed, never what a person failed, forgot or should have done. Do not name people.',
  '- Plain prose, no Markdown headings.',
  'Answer with one JSON object and nothing else: {"sentences": [{"text": "…", "events": ["E1", "E4"]}]}.',
  'If you cannot or will not write the section, answer {"refusal": "why"}.',
].join('\n');

/**
 * The chat messages for one section. The record is built from what the requesting person
 * reads; timeline events get labels in time order, and only those labels can be cited.
 */
export function buildDraftRequest(section: DraftSection, m: DraftMaterial): DraftRequest {
  const timeline = m.timeline.length > DRAFT_MAX_EVENTS ? m.timeline.slice(m.timeline.length - DRAFT_MAX_EVENTS) : m.timeline;
  const labels = new Map<string, string>();
  const lines: string[] = [];
  const fields: string[] = ['title', 'severity', 'status', 'times', 'services'];
  lines.push(`Incident ${m.reference}: ${oneLine(m.title)}`);
  lines.push(`Severity: ${m.severity}. Status: ${m.status}.`);
  lines.push(`Started ${iso(m.startedAt)}; detected ${iso(m.detectedAt)}; mitigated ${iso(m.mitigatedAt)}; resolved ${iso(m.resolvedAt)}.`);
  lines.push(`Services: ${m.services.length ? m.services.join(', ') : 'none recorded'}.`);
  if (m.summary) {
    fields.push('summary');
    lines.push(`Incident summary: ${oneLine(m.summary)}`);
  }
  if (m.customerImpact || m.usersAffected !== null || m.failedRequests !== null) {
    fields.push('impact');
    const figures = [m.usersAffected !== null ? `${m.usersAffected} users affected` : null, m.failedRequests !== null ? `${m.failedRequests} failed requests` : null].filter((x) => x !== null);
    lines.push(`Customer impact: ${[m.customerImpact ? oneLine(m.customerImpact) : null, ...figures].filter((x) => x !== null).join('; ')}`);
  }
  lines.push('', 'Timeline (cite these labels):');
  timeline.forEach((e, i) => {
    const label = `E${i + 1}`;
    labels.set(label, e.id);
    lines.push(`${label} ${e.occurredAt.toISOString()} ${e.kind}: ${oneLine(e.description)}`);
  });
  if (timeline.length === 0) lines.push('(no events recorded)');
  if (m.hypotheses.length) {
    lines.push('', 'Hypotheses:');
    for (const h of m.hypotheses) lines.push(`- ${h.status}: ${oneLine(h.statement)}${h.evidence ? ` (evidence: ${oneLine(h.evidence)})` : ''}`);
  }
  if (m.factors.length) {
    lines.push('', 'Contributing factors already recorded:');
    for (const f of m.factors) lines.push(`- [${f.category}]${f.isTrigger ? ' (trigger)' : ''} ${oneLine(f.description)}`);
  }
  if (m.safeguards.length) {
    lines.push('', 'Failed safeguards already recorded:');
    for (const s of m.safeguards) lines.push(`- ${s.kind}: expected ${oneLine(s.expectedBehavior)}; failed because ${oneLine(s.whyItFailed)}`);
  }
  if (m.changes.length) {
    lines.push('', 'Changes shortly before detection:');
    for (const c of m.changes) lines.push(`- ${c.finishedAt.toISOString()} ${c.service} ${c.version ?? ''} to ${c.environment} (${c.status})${c.role ? `, linked as ${c.role}` : ''}`);
  }
  lines.push('', `Write ${SECTION_ASKS[section]}.`);
  const user = lines.join('\n');
  return {
    messages: [
      { role: 'system', content: DRAFT_SYSTEM_PROMPT },
      { role: 'user', content: user },
    ],
    labels,
    sent: {
      section, incident: m.reference, fields, timelineEventIds: timeline.map((e) => e.id),
      hypotheses: m.hypotheses.length, factors: m.factors.length, safeguards: m.safeguards.length, changes: m.changes.length,
      characters: DRAFT_SYSTEM_PROMPT.length + user.length,
    },
  };
}

export interface ParsedSentence {
  text: string;
  citedEventIds: string[];
}

export type DraftAnswer =
  | { kind: 'draft'; sentences: ParsedSentence[]; droppedCitations: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'malformed'; reason: string };

/** At most this many sentences are kept from one answer, each at most this long. */
export const DRAFT_MAX_SENTENCES = 40;
export const DRAFT_MAX_SENTENCE_CHARS = 1000;

/** The JSON object in a model's message: as is, inside a ```json fence, or the outermost braces. */
function jsonOf(content: string): unknown {
  const attempts = [content.trim()];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content);
  if (fenced) attempts.push(fenced[1].trim());
  const first = content.indexOf('{');
  const last = content.lastIndexOf('}');
  if (first >= 0 && last > first) attempts.push(content.slice(first, last + 1));
  for (const a of attempts) {
    try {
      return JSON.parse(a);
    } catch {
      // next form
    }
  }
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the model's message content (the chat completion's `choices[0].message.content`).
 * Citations are kept only when they name an event that was sent (a label, or the id behind
 * one); the rest are dropped and counted.
 */
export function parseDraftAnswer(content: string, labels: ReadonlyMap<string, string>): DraftAnswer {
  const json = jsonOf(content);
  if (!isRecord(json)) return { kind: 'malformed', reason: 'the answer is not a JSON object' };
  if (typeof json['refusal'] === 'string' && json['refusal'].trim() !== '') return { kind: 'refused', reason: oneLine(json['refusal']).slice(0, 300) };
  const raw = json['sentences'];
  if (!Array.isArray(raw)) return { kind: 'malformed', reason: 'the answer has no "sentences" list' };
  const sentIds = new Set(labels.values());
  let dropped = 0;
  const sentences: ParsedSentence[] = [];
  for (const s of raw.slice(0, DRAFT_MAX_SENTENCES)) {
    if (!isRecord(s) || typeof s['text'] !== 'string') return { kind: 'malformed', reason: 'a sentence is not {"text": "…", "events": […]}' };
    const text = s['text'].replace(/\s+/g, ' ').trim().slice(0, DRAFT_MAX_SENTENCE_CHARS);
    if (text === '') continue;
    const cited = Array.isArray(s['events']) ? s['events'] : [];
    const ids: string[] = [];
    for (const c of cited) {
      const key = typeof c === 'string' || typeof c === 'number' ? String(c).trim() : '';
      const label = /^\d+$/.test(key) ? `E${key}` : key.toUpperCase();
      const id = labels.get(label) ?? (sentIds.has(key) ? key : null);
      if (id === null) dropped++;
      else if (!ids.includes(id)) ids.push(id);
    }
    sentences.push({ text, citedEventIds: ids });
  }
  if (sentences.length === 0) return { kind: 'malformed', reason: 'the answer has no sentences' };
  return { kind: 'draft', sentences, droppedCitations: dropped };
}

export interface DraftOutcomeCount {
  section: string;
  outcome: DraftOutcome | null;
  count: number;
}

export interface DraftAcceptance {
  section: string;
  drafted: number;
  keptAsWritten: number;
  keptAfterEdits: number;
  discarded: number;
  /** Drafts shown but not yet kept or discarded. */
  undecided: number;
  /** keptAsWritten / decided; null when nothing was decided. */
  keptAsWrittenShare: number | null;
  keptAfterEditsShare: number | null;
  discardedShare: number | null;
}

/** Per section, in DRAFT_SECTIONS order: how drafts fared (shares of the decided ones). */
export function draftAcceptance(rows: readonly DraftOutcomeCount[]): DraftAcceptance[] {
  const out: DraftAcceptance[] = [];
  for (const section of DRAFT_SECTIONS) {
    const of = (o: DraftOutcome | null) => rows.filter((r) => r.section === section && r.outcome === o).reduce((n, r) => n + r.count, 0);
    const kept = of('KEPT');
    const edited = of('EDITED');
    const discarded = of('DISCARDED');
    const undecided = of(null);
    const decided = kept + edited + discarded;
    const share = (n: number) => (decided === 0 ? null : n / decided);
    out.push({
      section, drafted: decided + undecided, keptAsWritten: kept, keptAfterEdits: edited, discarded, undecided,
      keptAsWrittenShare: share(kept), keptAfterEditsShare: share(edited), discardedShare: share(discarded),
    });
  }
  return out;
}
