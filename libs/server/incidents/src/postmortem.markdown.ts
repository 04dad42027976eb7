import { formatUtc } from '@hindsight/domain';

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

/** One line of user text inside a list item: line breaks would break the list. */
const inline = (text: string): string => text.replace(/\s*\r?\n\s*/g, ' ').trim();
const section = (title: string, body: string | null): string => `## ${title}\n\n${body?.trim() ? body.trim() : NOT_WRITTEN}\n`;
const when = (d: Date | null): string => (d ? formatUtc(d) : '—');

/**
 * The postmortem as a Markdown document, for wikis and tickets. Section bodies are the
 * authors' Markdown as written; list entries are flattened to one line each.
 */
export function postmortemMarkdown(doc: PostmortemDocument): string {
  const pm = doc.postmortem;
  const out: string[] = [];
  out.push(`# ${doc.reference}: ${inline(doc.title)}\n`);
  out.push(
    [
      `- **Severity:** ${doc.severity}`,
      `- **Incident status:** ${doc.status}`,
      `- **Postmortem:** ${pm.status} (version ${pm.version})${pm.publishedAt ? `, published ${formatUtc(pm.publishedAt)}` : ''}${pm.dueAt && !pm.publishedAt ? `, due ${formatUtc(pm.dueAt)}` : ''}`,
      `- **Commander:** ${doc.commander ?? '—'}`,
      `- **Services:** ${doc.services.length ? doc.services.join(', ') : '—'}`,
      ...(doc.customerImpact?.trim() || doc.usersAffected !== null || doc.failedRequests !== null
        ? [`- **Customer impact:** ${[doc.customerImpact?.trim() ? inline(doc.customerImpact) : null, doc.usersAffected !== null ? `${doc.usersAffected} users affected` : null, doc.failedRequests !== null ? `${doc.failedRequests} failed requests` : null].filter((p) => p !== null).join('; ')}`]
        : []),
      `- **Started:** ${when(doc.startedAt)} · **Detected:** ${when(doc.detectedAt)} · **Acknowledged:** ${when(doc.acknowledgedAt)} · **Mitigated:** ${when(doc.mitigatedAt)} · **Resolved:** ${when(doc.resolvedAt)}`,
    ].join('\n') + '\n',
  );
  out.push(section('Summary', pm.summary));
  out.push(section('Impact', pm.impact));
  out.push(section('Triggering cause', pm.triggeringCause));

  out.push('## Contributing factors\n');
  out.push(doc.factors.length ? doc.factors.map((f) => `- **${f.category}**${f.isTrigger ? ' (trigger)' : ''}: ${inline(f.description)}`).join('\n') + '\n' : `${NOT_WRITTEN}\n`);

  out.push('## Failed safeguards\n');
  out.push(
    doc.safeguards.length
      ? doc.safeguards.map((g) => `- **${g.kind}**: should have ${inline(g.expectedBehavior)}; did not because ${inline(g.whyItFailed)}`).join('\n') + '\n'
      : `${NOT_WRITTEN}\n`,
  );

  out.push('## Timeline\n');
  out.push(
    doc.timeline.length
      ? doc.timeline.map((e) => `- **${formatUtc(e.occurredAt)}** ${e.kind}: ${inline(e.description)}${e.evidenceUrl ? ` ([evidence](<${e.evidenceUrl}>))` : ''}`).join('\n') + '\n'
      : `${NOT_WRITTEN}\n`,
  );

  out.push(section('What went well', pm.whatWentWell));
  out.push(section('What went poorly', pm.whatWentPoorly));
  out.push(section('Where we got lucky', pm.whereWeGotLucky));
  out.push(section('Lessons', pm.lessons));

  out.push('## Action items\n');
  if (doc.actionItems.length) {
    out.push(doc.actionItems.map((a) => `- [${a.status === 'DONE' ? 'x' : ' '}] **${a.priority}** ${a.kind}: ${inline(a.title)} — ${a.team}, due ${formatUtc(a.dueAt)} (${a.status})`).join('\n') + '\n');
  } else {
    out.push(pm.noActionReason?.trim() ? `No action needed: ${inline(pm.noActionReason)}\n` : `${NOT_WRITTEN}\n`);
  }

  if (doc.reviews.length) {
    out.push('## Reviews\n');
    out.push(doc.reviews.map((r) => `- ${r.reviewer}: ${r.verdict}`).join('\n') + '\n');
  }
  return out.join('\n');
}
