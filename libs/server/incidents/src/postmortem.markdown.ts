import { formatUtc, markdownLink, markdownText } from '@hindsight/domain';

export interface PostmortemDocument {
  reference: string;
  title: string;
  severity: string;
  status: string;
  commander: string | null;
  services: string[];
  customerImpact: string | null;
  usersAffected: number | null;
  failedRequests: number | null;
  startedAt: Date;
  detectedAt: Date | null;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  postmortem: {
    status: string;
    version: number;
    dueAt: Date | null;
    publishedAt: Date | null;
    summary: string | null;
    impact: string | null;
    triggeringCause: string | null;
    whatWentWell: string | null;
    whatWentPoorly: string | null;
    whereWeGotLucky: string | null;
    lessons: string | null;
    noActionReason: string | null;
  };
  timeline: { occurredAt: Date; kind: string; description: string; evidenceUrl: string | null }[];
  factors: { category: string; description: string; isTrigger: boolean }[];
  safeguards: { kind: string; expectedBehavior: string; whyItFailed: string }[];
  actionItems: { title: string; kind: string; priority: string; status: string; dueAt: Date; team: string }[];
  reviews: { reviewer: string; verdict: string }[];
}

const NOT_WRITTEN = '_Not written yet._';

const section = (title: string, body: string | null): string => `## ${title}\n\n${body?.trim() ? body.trim() : NOT_WRITTEN}\n`;
const when = (d: Date | null): string => (d ? formatUtc(d) : '—');

/**
 * The postmortem as a Markdown document, for wikis and tickets. Section bodies are the
 * authors' Markdown as written (they are Markdown in the app too); everything the app shows
 * as plain text — titles, names, descriptions — is escaped and flattened to one line, and
 * evidence links are written so that their target is exactly the stored URL.
 */
export function postmortemMarkdown(doc: PostmortemDocument): string {
  const pm = doc.postmortem;
  const out: string[] = [];
  out.push(`# ${doc.reference}: ${markdownText(doc.title)}\n`);
  out.push(
    [
      `- **Severity:** ${doc.severity}`,
      `- **Incident status:** ${doc.status}`,
      `- **Postmortem:** ${pm.status} (version ${pm.version})${pm.publishedAt ? `, published ${formatUtc(pm.publishedAt)}` : ''}${pm.dueAt && !pm.publishedAt ? `, due ${formatUtc(pm.dueAt)}` : ''}`,
      `- **Commander:** ${doc.commander ? markdownText(doc.commander) : '—'}`,
      `- **Services:** ${doc.services.length ? doc.services.map(markdownText).join(', ') : '—'}`,
      ...(doc.customerImpact?.trim() || doc.usersAffected !== null || doc.failedRequests !== null
        ? [`- **Customer impact:** ${[doc.customerImpact?.trim() ? markdownText(doc.customerImpact) : null, doc.usersAffected !== null ? `${doc.usersAffected} users affected` : null, doc.failedRequests !== null ? `${doc.failedRequests} failed requests` : null].filter((p) => p !== null).join('; ')}`]
        : []),
      `- **Started:** ${when(doc.startedAt)} · **Detected:** ${when(doc.detectedAt)} · **Acknowledged:** ${when(doc.acknowledgedAt)} · **Mitigated:** ${when(doc.mitigatedAt)} · **Resolved:** ${when(doc.resolvedAt)}`,
    ].join('\n') + '\n',
  );
  out.push(section('Summary', pm.summary));
  out.push(section('Impact', pm.impact));
  out.push(section('Triggering cause', pm.triggeringCause));

  out.push('## Contributing factors\n');
  out.push(doc.factors.length ? doc.factors.map((f) => `- **${f.category}**${f.isTrigger ? ' (trigger)' : ''}: ${markdownText(f.description)}`).join('\n') + '\n' : `${NOT_WRITTEN}\n`);

  out.push('## Failed safeguards\n');
  out.push(
    doc.safeguards.length
      ? doc.safeguards.map((g) => `- **${g.kind}**: should have ${markdownText(g.expectedBehavior)}; did not because ${markdownText(g.whyItFailed)}`).join('\n') + '\n'
      : `${NOT_WRITTEN}\n`,
  );

  out.push('## Timeline\n');
  out.push(
    doc.timeline.length
      ? doc.timeline.map((e) => `- **${formatUtc(e.occurredAt)}** ${e.kind}: ${markdownText(e.description)}${e.evidenceUrl ? ` (${markdownLink('evidence', e.evidenceUrl)})` : ''}`).join('\n') + '\n'
      : `${NOT_WRITTEN}\n`,
  );

  out.push(section('What went well', pm.whatWentWell));
  out.push(section('What went poorly', pm.whatWentPoorly));
  out.push(section('Where we got lucky', pm.whereWeGotLucky));
  out.push(section('Lessons', pm.lessons));

  out.push('## Action items\n');
  if (doc.actionItems.length) {
    out.push(doc.actionItems.map((a) => `- [${a.status === 'DONE' ? 'x' : ' '}] **${a.priority}** ${a.kind}: ${markdownText(a.title)} — ${markdownText(a.team)}, due ${formatUtc(a.dueAt)} (${a.status})`).join('\n') + '\n');
  } else {
    out.push(pm.noActionReason?.trim() ? `No action needed: ${markdownText(pm.noActionReason)}\n` : `${NOT_WRITTEN}\n`);
  }

  if (doc.reviews.length) {
    out.push('## Reviews\n');
    out.push(doc.reviews.map((r) => `- ${markdownText(r.reviewer)}: ${r.verdict}`).join('\n') + '\n');
  }
  return out.join('\n');
}
