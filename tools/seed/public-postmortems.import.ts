// Imports the public postmortem collection (format: /work/shared/data/README.md) as IMPORT
// incidents through IncidentImportService: one incident per distinct write-up (records with
// duplicate_of null, completed with the fields their duplicates carry), the write-up's URL
// as a timeline evidence link, its cause category as a contributing factor where our
// taxonomy has a sensible match. Re-running it imports nothing twice.
import { readFileSync } from 'node:fs';
import { checkHttpUrl, FactorCategory, Severity, SloDimension } from '@hindsight/domain';
import type { ResolvedConfig } from '@hindsight/server-config';
import { AuthService } from '@hindsight/server-identity';
import { ImportedIncident, IncidentImportService } from '@hindsight/server-incidents';
import { startInProcessApi } from './in-process-api';

export interface PublicPostmortem {
  id: string;
  source: string;
  license: string;
  company: string;
  product: string | null;
  title: string | null;
  url: string;
  url_key: string;
  duplicate_of: string | null;
  category: string | null;
  categories: string[];
  impact: string[];
  summary: string | null;
  date: string | null;
  date_basis: string | null;
  start_time: string | null;
  end_time: string | null;
  duration_minutes: number | null;
  published: string | null;
}

/** Our source name for (source, external_key): the key is the write-up's canonical URL. */
export const IMPORT_LABEL = 'public-postmortem';
/** Startedat of write-ups that give no date at all (labelled date-unknown): far outside any recent report. */
export const UNKNOWN_DATE = new Date('1970-01-01T00:00:00Z');

/** VOID impact categories as a severity proxy, most severe first (README: "a usable severity proxy"). */
const SEVERITY_BY_IMPACT: [string, Severity][] = [
  ['Full production outage', 'SEV1'], ['Data loss', 'SEV1'],
  ['Partial production outage', 'SEV2'], ['Cascading failure', 'SEV2'],
  ['Degraded service/performance', 'SEV3'], ['Increased errors', 'SEV3'], ['Increased latency', 'SEV3'], ['Connection issues', 'SEV3'],
  ['Non-production outage', 'SEV4'], ['Lost developer time', 'SEV4'],
];
const DIMENSION_BY_IMPACT: Record<string, SloDimension> = {
  'Full production outage': 'AVAILABILITY', 'Partial production outage': 'AVAILABILITY', 'Increased errors': 'AVAILABILITY',
  'Connection issues': 'AVAILABILITY', 'Increased latency': 'LATENCY', 'Degraded service/performance': 'LATENCY', 'Data loss': 'CORRECTNESS',
};
/**
 * The sources' cause categories where ours mean the same thing. Left out on purpose:
 * Uncategorized, Database (a component, not a cause), Conflicts, Time, automation and
 * cascading-failure (ways a failure unfolds rather than what set it off).
 */
const FACTOR_BY_CATEGORY: Record<string, FactorCategory> = {
  'Config Errors': 'CONFIG_CHANGE', 'config-change': 'CONFIG_CHANGE',
  'Hardware/Power Failures': 'INFRASTRUCTURE', hardware: 'INFRASTRUCTURE',
  security: 'SECURITY', cloud: 'DEPENDENCY_OUTAGE',
};

export function readPublicPostmortems(path: string): PublicPostmortem[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as PublicPostmortem);
}

/** A couple of source URLs carry the list's markdown ("…/), [see also](…"): keep the first link. */
const firstLink = (url: string): string | null => {
  const link = url.split(/\s/)[0].replace(/\)[,;]?$/, '');
  return checkHttpUrl('url', link) ? null : link;
};
const firstSentence = (text: string): string => (/^(.*?[.!?])(\s|$)/.exec(text)?.[1] ?? text).trim();
const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** "2018-08" → 1 Aug 2018; full timestamps as they are. */
function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const padded = /^\d{4}$/.test(value) ? `${value}-01-01` : /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value;
  const d = new Date(/T/.test(padded) ? padded : `${padded}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The first value any of the records has, canonical record first. */
function first<K extends keyof PublicPostmortem>(records: PublicPostmortem[], key: K): PublicPostmortem[K] | null {
  for (const r of records) {
    const v = r[key];
    if (v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)) return v;
  }
  return null;
}

/**
 * The most trustworthy date among the records of one incident: a source's own date field
 * over one parsed from the text, over one parsed from the URL (usually the publication
 * date); then the most precise.
 */
function bestDate(records: PublicPostmortem[]): PublicPostmortem | null {
  const rank = (r: PublicPostmortem): number => (r.date_basis?.startsWith('source:') ? 3 : r.date_basis === 'summary-text' ? 2 : 1) * 100 + (r.date?.length ?? 0);
  return records.filter((r) => r.date).sort((a, b) => rank(b) - rank(a))[0] ?? null;
}

/** One import record per distinct write-up, completed from its duplicates. */
export function toImportedIncidents(records: PublicPostmortem[]): ImportedIncident[] {
  const duplicates = new Map<string, PublicPostmortem[]>();
  for (const r of records) if (r.duplicate_of) duplicates.set(r.duplicate_of, [...(duplicates.get(r.duplicate_of) ?? []), r]);
  return records.filter((r) => r.duplicate_of === null).map((r) => toImported([r, ...(duplicates.get(r.id) ?? [])]));
}

function toImported(all: PublicPostmortem[]): ImportedIncident {
  const r = all[0];
  const impacts = [...new Set(all.flatMap((x) => x.impact))];
  const severity = SEVERITY_BY_IMPACT.find(([impact]) => impacts.includes(impact))?.[1] ?? null;
  const startTime = parseDate(first(all, 'start_time'));
  const dated = bestDate(all);
  const day = parseDate(dated?.date ?? null);
  const published = parseDate(first(all, 'published'));
  const startedAt = startTime ?? day ?? published ?? UNKNOWN_DATE;
  const endTime = parseDate(first(all, 'end_time'));
  const duration = first(all, 'duration_minutes');
  const resolvedAt = endTime ?? (startTime && duration !== null ? new Date(startTime.getTime() + duration * 60_000) : null);
  const summary = first(all, 'summary');
  const url = firstLink(r.url);
  const title = first(all, 'title') ?? (summary ? firstSentence(summary) : `${impacts[0] ?? 'Incident'}`);
  const category = all.map((x) => x.category).find((c): c is string => c !== null && FACTOR_BY_CATEGORY[c] !== undefined) ?? null;

  const labels = [IMPORT_LABEL, cut(r.company, 100)];
  if (severity === null) labels.push('severity-assumed');
  if (startedAt === UNKNOWN_DATE) labels.push('date-unknown');
  else if (!startTime && (!/^\d{4}-\d{2}-\d{2}$/.test(dated?.date ?? '') || dated?.date_basis === 'url')) labels.push('date-approximate');

  return {
    origin: { source: 'IMPORT', externalKey: r.url_key },
    incident: {
      title: cut(`${r.company}: ${title}`, 200),
      // No impact recorded: SEV3, the middle of the scale, labelled so it can be found and fixed.
      severity: severity ?? 'SEV3',
      status: 'RESOLVED',
      summary: [summary, `Imported from the public write-up ${url ?? r.url} (${all.map((x) => x.id).join(', ')}; licence: ${r.license}).`].filter(Boolean).join('\n\n'),
      impactedDimensions: [...new Set(impacts.map((i) => DIMENSION_BY_IMPACT[i]).filter((d): d is SloDimension => d !== undefined))],
      startedAt,
      resolvedAt: resolvedAt && resolvedAt.getTime() >= startedAt.getTime() ? resolvedAt : null,
      customerImpact: impacts.length ? impacts.join(', ') : null,
      labels,
    },
    timeline: [
      {
        occurredAt: published && published.getTime() >= startedAt.getTime() ? published : (resolvedAt ?? startedAt),
        kind: 'NOTE',
        description: `Public postmortem by ${r.company}${r.product ? ` (${r.product})` : ''}.`,
        evidenceUrl: url,
      },
    ],
    factors: category ? [{ category: FACTOR_BY_CATEGORY[category], description: `Cause category in the public write-up: ${category}.`, isTrigger: false }] : [],
  };
}

export interface ImportResult {
  records: number;
  incidents: number;
  created: number;
  existing: number;
}

export async function importPublicPostmortems(config: ResolvedConfig, path: string, log: (line: string) => void = console.log): Promise<ImportResult> {
  const records = readPublicPostmortems(path);
  const incidents = toImportedIncidents(records);
  const api = await startInProcessApi(config);
  try {
    const actor = await api.app.get(AuthService, { strict: false }).actorFromHeader(`Bearer ${await api.tokenFor(api.admin.id)}`);
    if (!actor) throw new Error(`the administrator ${api.admin.email} cannot act (deactivated?)`);
    const importer = api.app.get(IncidentImportService, { strict: false });
    let created = 0;
    for (const incident of incidents) {
      if ((await importer.importIncident(actor, incident)).created) created++;
    }
    const result = { records: records.length, incidents: incidents.length, created, existing: incidents.length - created };
    log(`import: ${result.records} records, ${result.incidents} distinct incidents: ${created} imported, ${result.existing} already present (as ${api.admin.email})`);
    return result;
  } finally {
    await api.close();
  }
}
