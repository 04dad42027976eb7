import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { blamelessReview, canCommentOnPostmortem, canResolvePostmortemComment, type Actor, type PostmortemDocumentSection } from '@hindsight/domain';
import { appendToList, errorMessage, type PostmortemCommentFieldsFragment } from '@hindsight/web-data-access';
import { Alert, Button, formatDateTime } from '@hindsight/web-ui';
import { MarkdownView } from '@hindsight/web-markdown';
import { AddPostmortemComment, ResolvePostmortemComment } from './postmortem.operations';
import { reviewedTexts, type DocIncident, type DocPostmortem } from './postmortem-document';

/** Who the reader is to this postmortem, as the comment rules (libs/domain) ask it. */
export function commentRights(actor: Actor, incident: DocIncident, pm: DocPostmortem) {
  const relation = { isReviewer: pm.reviews.some((r) => r.reviewer.id === actor.id), isCommander: incident.commander?.id === actor.id };
  return {
    canComment: canCommentOnPostmortem(actor, relation),
    canResolve: (c: PostmortemCommentFieldsFragment) => canResolvePostmortemComment(actor, { ...relation, isAuthor: c.author.id === actor.id }),
  };
}

/**
 * One line for the whole document: how many phrases the blameless review would reconsider
 * and in which sections (each is marked where it stands), or that there are none.
 */
export function ReviewSummary({ incident, pm, titles }: { incident: DocIncident; pm: DocPostmortem; titles: Record<PostmortemDocumentSection, string> }) {
  const bySection = useMemo(
    () =>
      Object.entries(reviewedTexts(incident, pm))
        .map(([section, texts]) => [section as PostmortemDocumentSection, texts.reduce((n, t) => n + blamelessReview(t).length, 0)] as const)
        .filter(([, n]) => n > 0),
    [incident, pm],
  );
  const total = bySection.reduce((n, [, c]) => n + c, 0);
  const open = pm.comments.filter((c) => !c.resolvedAt).length;
  return (
    <p className="hs-pm-review-summary" role="status" data-testid="review-summary">
      {total === 0 ? 'Blameless review: no blame-laden phrasing found.' : `Blameless review: ${total} phrase${total === 1 ? '' : 's'} to reconsider, marked in ${bySection.map(([s]) => titles[s]).join(', ')} (advice, not a block).`}{' '}
      {open === 0 ? 'No open comments.' : `${open} open comment${open === 1 ? '' : 's'}.`}
    </p>
  );
}

/** A section's review comments: open ones in full, resolved ones folded; add and resolve as the rules allow. */
export function SectionComments({
  section,
  title,
  incidentId,
  postmortemId,
  comments,
  canComment,
  canResolve,
}: {
  section: PostmortemDocumentSection;
  title: string;
  incidentId: string;
  postmortemId: string;
  comments: readonly PostmortemCommentFieldsFragment[];
  canComment: boolean;
  canResolve: (c: PostmortemCommentFieldsFragment) => boolean;
}) {
  const mine = comments.filter((c) => c.section === section);
  const open = mine.filter((c) => !c.resolvedAt);
  const resolved = mine.filter((c) => c.resolvedAt);
  const [adding, setAdding] = useState(false);
  if (!mine.length && !canComment) return null;
  return (
    <aside className="hs-pm-comments" aria-label={`Comments on ${title}`} data-comments={section}>
      {open.length > 0 && (
        <ul className="hs-pm-comments__list">
          {open.map((c) => (
            <CommentItem key={c.id} comment={c} canResolve={canResolve(c)} />
          ))}
        </ul>
      )}
      {resolved.length > 0 && (
        <details>
          <summary>
            {resolved.length} resolved comment{resolved.length === 1 ? '' : 's'}
          </summary>
          <ul className="hs-pm-comments__list">
            {resolved.map((c) => (
              <CommentItem key={c.id} comment={c} canResolve={false} />
            ))}
          </ul>
        </details>
      )}
      {canComment &&
        (adding ? (
          <CommentForm section={section} title={title} incidentId={incidentId} postmortemId={postmortemId} onDone={() => setAdding(false)} />
        ) : (
          <Button variant="secondary" className="hs-no-print" onClick={() => setAdding(true)} aria-label={`Comment on ${title}`}>
            Comment
          </Button>
        ))}
    </aside>
  );
}

function CommentItem({ comment, canResolve }: { comment: PostmortemCommentFieldsFragment; canResolve: boolean }) {
  const [resolve, { loading, error }] = useMutation(ResolvePostmortemComment);
  return (
    <li className="hs-pm-comment" data-comment={comment.id} data-resolved={comment.resolvedAt ? 'true' : 'false'}>
      <div className="hs-small hs-muted">
        {comment.author.name}, {formatDateTime(comment.createdAt)}
        {comment.resolvedAt && ` — resolved${comment.resolvedBy ? ` by ${comment.resolvedBy.name}` : ''} ${formatDateTime(comment.resolvedAt)}`}
      </div>
      <MarkdownView source={comment.body} />
      {error && <Alert>{errorMessage(error)}</Alert>}
      {canResolve && !comment.resolvedAt && (
        <Button variant="secondary" className="hs-no-print" busy={loading} onClick={() => void resolve({ variables: { id: comment.id } }).catch(() => undefined)}>
          Resolve
        </Button>
      )}
    </li>
  );
}

function CommentForm({ section, title, incidentId, postmortemId, onDone }: { section: PostmortemDocumentSection; title: string; incidentId: string; postmortemId: string; onDone: () => void }) {
  const id = useId();
  const [body, setBody] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  // The form opens because the reader asked to write here.
  useEffect(() => field.current?.focus(), []);
  const [add, { loading, error }] = useMutation(AddPostmortemComment, {
    // The new comment joins the postmortem's list in the cache: no refetch.
    update: (cache, { data }) => appendToList(cache, { __typename: 'Postmortem', id: postmortemId }, 'comments', data?.addPostmortemComment),
  });
  const submit = async () => {
    const ok = await add({ variables: { incidentId, section, body } }).then(
      () => true,
      () => false,
    );
    if (ok) onDone();
  };
  return (
    <form
      className="hs-pm-comment-form hs-no-print"
      aria-label={`Comment on ${title}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
    >
      {error && <Alert>{errorMessage(error)}</Alert>}
      <label htmlFor={id}>Your comment on {title} (Markdown)</label>
      <textarea
        id={id}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        rows={3}
        ref={field}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onDone();
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit();
        }}
      />
      <div className="hs-row">
        <Button type="submit" busy={loading} disabled={!body.trim()}>
          Add comment
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
