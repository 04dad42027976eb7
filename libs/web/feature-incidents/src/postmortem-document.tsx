import { createContext, Fragment, useContext, useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import { blamelessReview, durationWords, enumWords, milestoneRows, POSTMORTEM_WRITTEN_SECTIONS, postmortemOutline, type LanguageFinding, type PostmortemDocumentSection } from '@hindsight/domain';
import type { PostmortemEditorDataQuery } from '@hindsight/web-data-access';
import { Button, formatDate, formatDateTime, unassignedLabel } from '@hindsight/web-ui';
import { renderMarkdown } from '@hindsight/web-markdown';
import { SafeLink } from './form-card';

export type DocIncident = NonNullable<PostmortemEditorDataQuery['incident']>;
export type DocPostmortem = NonNullable<DocIncident['postmortem']>;
export type WrittenSection = (typeof POSTMORTEM_WRITTEN_SECTIONS)[number];

const WRITTEN = new Set<PostmortemDocumentSection>(POSTMORTEM_WRITTEN_SECTIONS);
export const isWrittenSection = (s: PostmortemDocumentSection): s is WrittenSection => WRITTEN.has(s);

/** Review mode: the blameless review's findings marked where they are. */
const MarksContext = createContext(false);

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The Markdown with each finding wrapped in `<mark data-rule title=suggestion>` before it is
 * rendered: the review skips code and links, so the marks land in prose, and the sanitiser
 * keeps `mark`, `title` and `data-*` (nothing else of it can run).
 */
export function markedMarkdown(source: string, findings: readonly LanguageFinding[]): string {
  let out = source;
  for (const f of [...findings].sort((a, b) => b.start - a.start)) {
    out = `${out.slice(0, f.start)}<mark data-rule="${f.rule}" title="${escapeAttribute(`Consider: ${f.suggestion}`)}">${out.slice(f.start, f.end)}</mark>${out.slice(f.end)}`;
  }
  return out;
}

/** Authors' Markdown, rendered sanitised; in review mode with the findings marked. */
function Prose({ source, empty = 'Not written yet.' }: { source: string | null | undefined; empty?: string }) {
  const marks = useContext(MarksContext);
  const html = useMemo(() => (source?.trim() ? renderMarkdown(marks ? markedMarkdown(source, blamelessReview(source)) : source) : ''), [source, marks]);
  if (!html) return <p className="hs-muted">{empty}</p>;
  return <div className="hs-markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** Plain text (a description, a statement); in review mode with the findings marked. */
function Text({ value }: { value: string }) {
  const marks = useContext(MarksContext);
  const findings = useMemo(() => (marks ? blamelessReview(value) : []), [value, marks]);
  if (!findings.length) return <>{value}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const f of findings) {
    parts.push(value.slice(at, f.start));
    parts.push(
      <mark key={f.start} data-rule={f.rule} title={`Consider: ${f.suggestion}`}>
        {value.slice(f.start, f.end)}
      </mark>,
    );
    at = f.end;
  }
  parts.push(value.slice(at));
  return <>{parts}</>;
}

const None = () => <p className="hs-muted">None recorded.</p>;

/** Every text of the document the blameless review reads, by section (for the summary line). */
export function reviewedTexts(incident: DocIncident, pm: DocPostmortem): Record<PostmortemDocumentSection, string[]> {
  return {
    summary: [pm.summary ?? ''],
    impact: [pm.impact ?? ''],
    timeline: incident.timeline.map((e) => e.description),
    triggeringCause: [pm.triggeringCause ?? '', ...incident.contributingFactors.filter((f) => f.isTrigger).map((f) => f.description)],
    contributingFactors: incident.contributingFactors.filter((f) => !f.isTrigger).map((f) => f.description),
    failedSafeguards: incident.failedSafeguards.flatMap((g) => [g.expectedBehavior, g.whyItFailed]),
    hypotheses: incident.hypotheses.flatMap((h) => [h.statement, h.evidence ?? '']),
    whatWentWell: [pm.whatWentWell ?? ''],
    whatWentPoorly: [pm.whatWentPoorly ?? ''],
    whereWeGotLucky: [pm.whereWeGotLucky ?? ''],
    actionItems: [...incident.actionItems.map((a) => a.title), pm.noActionReason ?? ''],
    runbookFeedback: incident.runbookFeedback.map((f) => f.note ?? ''),
    lessons: [pm.lessons ?? ''],
  };
}

function MilestoneTable({ incident }: { incident: DocIncident }) {
  return (
    <table className="hs-pm-table" aria-label="Milestones">
      <thead>
        <tr>
          <th scope="col">Milestone</th>
          <th scope="col">When</th>
          <th scope="col">From the start</th>
        </tr>
      </thead>
      <tbody>
        {milestoneRows(incident).map((r) => (
          <tr key={r.milestone}>
            <th scope="row">{r.label}</th>
            <td>{formatDateTime(r.at)}</td>
            <td>{r.durationLabel ? `${r.durationLabel}: ${durationWords(r.sinceStartMinutes)}` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A section's recorded parts (what is not the authors' Markdown), also shown under the editor. */
export function RecordedPart({ section, incident }: { section: PostmortemDocumentSection; incident: DocIncident }) {
  switch (section) {
    case 'impact': {
      const customer = [incident.customerImpact?.trim() || null, incident.usersAffected !== null && incident.usersAffected !== undefined ? `${incident.usersAffected} users affected` : null, incident.failedRequests !== null && incident.failedRequests !== undefined ? `${incident.failedRequests} failed requests` : null].filter((p) => p !== null);
      return (
        <>
          {customer.length > 0 && (
            <p>
              <strong>Customer impact:</strong> {customer.join('; ')}
            </p>
          )}
          <MilestoneTable incident={incident} />
        </>
      );
    }
    case 'triggeringCause': {
      const trigger = incident.contributingFactors.find((f) => f.isTrigger);
      return trigger ? (
        <p data-testid="recorded-trigger">
          Recorded as the trigger: <strong>{enumWords(trigger.category)}</strong>: <Text value={trigger.description} />
        </p>
      ) : null;
    }
    default:
      return null;
  }
}

function RecordedSection({ section, incident, pm }: { section: Exclude<PostmortemDocumentSection, WrittenSection>; incident: DocIncident; pm: DocPostmortem }) {
  switch (section) {
    case 'timeline':
      return incident.timeline.length ? (
        <ol className="hs-timeline">
          {incident.timeline.map((e) => (
            <li key={e.id}>
              <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>
              <div>
                <strong>{enumWords(e.kind)}:</strong> <Text value={e.description} />{' '}
                {e.evidenceUrl && (
                  <>
                    (<SafeLink href={e.evidenceUrl}>evidence</SafeLink>)
                  </>
                )}
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <None />
      );
    case 'contributingFactors': {
      const factors = incident.contributingFactors.filter((f) => !f.isTrigger);
      return factors.length ? (
        <ul className="hs-list">
          {factors.map((f) => (
            <li key={f.id}>
              <strong>{enumWords(f.category)}:</strong> <Text value={f.description} />
            </li>
          ))}
        </ul>
      ) : (
        <None />
      );
    }
    case 'failedSafeguards':
      return incident.failedSafeguards.length ? (
        <ul className="hs-list">
          {incident.failedSafeguards.map((g) => (
            <li key={g.id}>
              <strong>{enumWords(g.kind)}:</strong> should have <Text value={g.expectedBehavior} />; did not because <Text value={g.whyItFailed} />
            </li>
          ))}
        </ul>
      ) : (
        <None />
      );
    case 'hypotheses':
      return incident.hypotheses.length ? (
        <ul className="hs-list">
          {incident.hypotheses.map((h) => (
            <li key={h.id}>
              <strong>{enumWords(h.status)}:</strong> <Text value={h.statement} />
              {h.evidence?.trim() && (
                <>
                  {' '}
                  — <Text value={h.evidence} />
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <None />
      );
    case 'actionItems':
      if (!incident.actionItems.length) {
        return pm.noActionReason?.trim() ? (
          <p>
            No action needed: <Text value={pm.noActionReason} />
          </p>
        ) : (
          <None />
        );
      }
      return (
        <div className="hs-table-wrap">
          <table className="hs-pm-table" aria-label="Action items">
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col">Action item</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {incident.actionItems.map((a) => (
                <tr key={a.id} data-status={a.status}>
                  <td>{a.priority}</td>
                  <td>
                    {enumWords(a.kind)}: <Link to={`/action-items/${a.id}`}>{a.title}</Link>
                  </td>
                  <td>
                    {a.ownerTeam.name} · {a.assignee?.name ?? unassignedLabel(a.previousAssignee)}
                  </td>
                  <td>{formatDate(a.dueAt)}</td>
                  <td>
                    {enumWords(a.status)}
                    {a.isOverdue ? `, ${a.daysOverdue} day${a.daysOverdue === 1 ? '' : 's'} overdue` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'runbookFeedback':
      return incident.runbookFeedback.length ? (
        <ul className="hs-list">
          {incident.runbookFeedback.map((f) => (
            <li key={f.id}>
              <strong>{f.runbook.title}</strong> ({f.runbook.service.name}): {enumWords(f.verdict)}
              {f.note?.trim() && (
                <>
                  {' '}
                  — <Text value={f.note} />
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <None />
      );
  }
}

/**
 * The postmortem as one document (issue 23), in the domain's fixed order, the same as the
 * Markdown export and the print. `editor` puts an editor in place of a written section's text
 * (the writer) — or null to show that section as the document with an Edit button beside its
 * title calling `onEdit`; `aside` adds something to every section (review comments);
 * `marks` marks the blameless review's findings on the sentences they concern.
 */
export function PostmortemDocument({
  incident,
  pm,
  marks = false,
  editor,
  onEdit,
  aside,
}: {
  incident: DocIncident;
  pm: DocPostmortem;
  marks?: boolean;
  editor?: (section: WrittenSection, title: string) => ReactNode | null;
  onEdit?: (section: WrittenSection) => void;
  aside?: (section: PostmortemDocumentSection, title: string) => ReactNode;
}) {
  return (
    <MarksContext.Provider value={marks}>
      <article className="hs-pm-doc" aria-label="Postmortem document">
        {postmortemOutline().map(({ section, title }) => {
          const inPlace = editor && isWrittenSection(section) ? editor(section, title) : null;
          if (inPlace) {
            return (
              <Fragment key={section}>
                {inPlace}
                <div className="hs-pm-doc__after-editor">
                  <RecordedPart section={section} incident={incident} />
                  {aside?.(section, title)}
                </div>
              </Fragment>
            );
          }
          const edit = onEdit && isWrittenSection(section) ? () => onEdit(section) : null;
          return (
            <section key={section} className="hs-card hs-pm-doc__section" aria-labelledby={`pm-${section}`} data-section={section}>
              <div className="hs-section__head">
                <h2 id={`pm-${section}`}>{title}</h2>
                {edit && (
                  <Button variant="secondary" className="hs-button--small hs-no-print" onClick={edit}>
                    Edit<span className="hs-visually-hidden"> {title.toLowerCase()}</span>
                  </Button>
                )}
              </div>
              {isWrittenSection(section) ? (
                <>
                  <Prose source={pm[section]} />
                  <RecordedPart section={section} incident={incident} />
                </>
              ) : (
                <RecordedSection section={section} incident={incident} pm={pm} />
              )}
              {aside?.(section, title)}
            </section>
          );
        })}
      </article>
    </MarksContext.Provider>
  );
}
