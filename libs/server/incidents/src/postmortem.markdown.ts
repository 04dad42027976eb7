import { durationWords, enumWords, formatUtc, markdownLink, markdownText, milestoneRows, postmortemOutline, type PostmortemDocumentSection, type PostmortemTexts } from '@hindsight/domain';

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
  postmortem: PostmortemTexts & { status: string; version: number; dueAt: Date | null; publishedAt: Date | null };
  timeline: { occurredAt: Date; kind: string; description: string; evidenceUrl: string | null }[];
  factors: { category: string; description: string; isTrigger: boolean }[];
  safeguards: { kind: string; expectedBehavior: string; whyItFailed: string }[];
  hypotheses: { statement: string; status: string; evidence: string | null }[];
  actionItems: { title: string; kind: string; priority: string; status: string; dueAt: Date; team: string; assignee: string | null }[];
  runbookFeedback: { runbook: string; service: string; verdict: string; note: string | null }[];
  reviews: { reviewer: string; verdict: string }[];
}

const NOT_WRITTEN = '_Not written yet._';
const NONE_RECORDED = '_None recorded._';

const written = (body: string | null): string => (body?.trim() ? body.trim() : NOT_WRITTEN);
const list = (lines: string[]): string => (lines.length ? lines.join('\n') : NONE_RECORDED);
const when = (d: Date | null): string => (d ? formatUtc(d) : '—');

function impact(doc: PostmortemDocument): string {
  const parts = [written(doc.postmortem.impact)];
  const customer = [
    doc.customerImpact?.trim() ? markdownText(doc.customerImpact) : null,
    doc.usersAffected !== null ? `${doc.usersAffected} users affected` : null,
    doc.failedRequests !== null ? `${doc.failedRequests} failed requests` : null,
  ].filter((p) => p !== null);
  if (customer.length) parts.push(`**Customer impact:** ${customer.join('; ')}`);
  const rows = milestoneRows(doc).map((r) => `| ${r.label} | ${when(r.at)} | ${r.durationLabel ? `${r.durationLabel}: ${durationWords(r.sinceStartMinutes)}` : '—'} |`);
  parts.push(['| Milestone | When | From the start |', '|---|---|---|', ...rows].join('\n'));
  return parts.join('\n\n');
}

/** Each section's body, keyed by the document's section; the order comes from the domain's outline. */
function bodies(doc: PostmortemDocument): Record<PostmortemDocumentSection, string> {
  const pm = doc.postmortem;
  const trigger = doc.factors.find((f) => f.isTrigger);
  return {
    summary: written(pm.summary),
    impact: impact(doc),
    timeline: list(doc.timeline.map((e) => `- **${formatUtc(e.occurredAt)}** ${enumWords(e.kind)}: ${markdownText(e.description)}${e.evidenceUrl ? ` (${markdownLink('evidence', e.evidenceUrl)})` : ''}`)),
    triggeringCause: [written(pm.triggeringCause), ...(trigger ? [`Recorded as the trigger: **${enumWords(trigger.category)}**: ${markdownText(trigger.description)}`] : [])].join('\n\n'),
    // The trigger is told above, not repeated as the first factor.
    contributingFactors: list(doc.factors.filter((f) => !f.isTrigger).map((f) => `- **${enumWords(f.category)}**: ${markdownText(f.description)}`)),
    failedSafeguards: list(doc.safeguards.map((g) => `- **${enumWords(g.kind)}**: should have ${markdownText(g.expectedBehavior)}; did not because ${markdownText(g.whyItFailed)}`)),
    hypotheses: list(doc.hypotheses.map((h) => `- **${enumWords(h.status)}**: ${markdownText(h.statement)}${h.evidence?.trim() ? ` — ${markdownText(h.evidence)}` : ''}`)),
    whatWentWell: written(pm.whatWentWell),
    whatWentPoorly: written(pm.whatWentPoorly),
    whereWeGotLucky: written(pm.whereWeGotLucky),
    actionItems: doc.actionItems.length
      ? doc.actionItems
          .map((a) => `- [${a.status === 'DONE' ? 'x' : ' '}] **${a.priority}** ${enumWords(a.kind)}: ${markdownText(a.title)} — ${markdownText(a.team)}${a.assignee ? ` (${markdownText(a.assignee)})` : ', unassigned'}, due ${formatUtc(a.dueAt)} (${enumWords(a.status)})`)
          .join('\n')
      : pm.noActionReason?.trim()
        ? `No action needed: ${markdownText(pm.noActionReason)}`
        : NONE_RECORDED,
    runbookFeedback: list(doc.runbookFeedback.map((f) => `- **${markdownText(f.runbook)}** (${markdownText(f.service)}): ${enumWords(f.verdict)}${f.note?.trim() ? ` — ${markdownText(f.note)}` : ''}`)),
    lessons: written(pm.lessons),
  };
}

/**
 * The postmortem as a Markdown document, for wikis and tickets: the same sections in the same
 * order as the page (the domain's postmortemOutline). Section bodies are the authors' Markdown
 * as written (they are Markdown in the app too); everything the app shows as plain text —
 * titles, names, descriptions — is escaped and flattened to one line, and evidence links are
 * written so that their target is exactly the stored URL.
 */
export function postmortemMarkdown(doc: PostmortemDocument): string {
  const pm = doc.postmortem;
  const out: string[] = [];
  out.push(`# ${doc.reference}: ${markdownText(doc.title)}\n`);
  out.push(
    [
      `- **Severity:** ${doc.severity}`,
      `- **Incident status:** ${enumWords(doc.status)}`,
      `- **Postmortem:** ${enumWords(pm.status)} (version ${pm.version})${pm.publishedAt ? `, published ${formatUtc(pm.publishedAt)}` : ''}${pm.dueAt && !pm.publishedAt ? `, due ${formatUtc(pm.dueAt)}` : ''}`,
      `- **Commander:** ${doc.commander ? markdownText(doc.commander) : '—'}`,
      `- **Services:** ${doc.services.length ? doc.services.map(markdownText).join(', ') : '—'}`,
    ].join('\n') + '\n',
  );
  const body = bodies(doc);
  for (const { section, title } of postmortemOutline()) out.push(`## ${title}\n\n${body[section]}\n`);
  if (doc.reviews.length) {
    out.push('## Reviews\n');
    out.push(doc.reviews.map((r) => `- ${markdownText(r.reviewer)}: ${enumWords(r.verdict)}`).join('\n') + '\n');
  }
  return out.join('\n');
}

