import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canCommentOnPostmortem, canResolvePostmortemComment, PostmortemDocumentSection, validatePostmortemComment } from '@hindsight/domain';
import { assertValid, forbidden, isUuid, notFound } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { PostmortemCommentRow, PostmortemCommentsRepository } from './postmortem-comments.repository';

const WHO_COMMENTS = "Only the postmortem's reviewers, its incident's commander, and COMMANDERs or above comment on a postmortem; everyone signed in reads the comments.";
const WHO_RESOLVES = "Only the comment's author, the postmortem's reviewers, its incident's commander, and COMMANDERs or above resolve a comment.";

/** Review comments on a postmortem's sections: added by the people reviewing, resolved once; audited. */
@Injectable()
export class PostmortemCommentsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: PostmortemCommentsRepository,
    private readonly audit: AuditService,
  ) {}

  async add(actor: SessionActor, incidentId: string, section: string, body: string): Promise<PostmortemCommentRow> {
    assertValid(validatePostmortemComment({ section, body }));
    return this.ds.transaction(async (em) => {
      const target = isUuid(incidentId) ? await this.repo.targetOfIncident(em, incidentId, actor.id) : null;
      if (!target) throw notFound('incident', incidentId);
      if (!canCommentOnPostmortem(actor, { isReviewer: target.actorIsReviewer, isCommander: target.commanderId === actor.id })) throw forbidden(WHO_COMMENTS);
      const comment = await this.repo.insert(em, { postmortemId: target.postmortemId, section: section as PostmortemDocumentSection, body, authorId: actor.id });
      await this.audit.record(em, { actorId: actor.id, action: 'postmortem.comment', entityType: 'Postmortem', entityId: target.postmortemId, after: comment });
      return comment;
    });
  }

  /** Resolving twice changes nothing the second time (the first resolution stands). */
  async resolve(actor: SessionActor, id: string): Promise<PostmortemCommentRow> {
    return this.ds.transaction(async (em) => {
      const found = isUuid(id) ? await this.repo.lockWithTarget(em, id, actor.id) : null;
      if (!found) throw notFound('postmortem comment', id);
      const { commanderId, actorIsReviewer, ...comment } = found;
      const relation = { isReviewer: actorIsReviewer, isCommander: commanderId === actor.id, isAuthor: comment.authorId === actor.id };
      if (!canResolvePostmortemComment(actor, relation)) throw forbidden(WHO_RESOLVES);
      if (comment.resolvedAt) return comment;
      const after = await this.repo.resolve(em, id, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'postmortem.comment-resolve', entityType: 'Postmortem', entityId: comment.postmortemId, before: comment, after });
      return after;
    });
  }
}
