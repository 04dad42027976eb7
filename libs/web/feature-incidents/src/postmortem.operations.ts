import { graphql } from '@hindsight/web-data-access';

export const PostmortemContent = graphql(`
  fragment PostmortemContent on Postmortem {
    id
    version
    status
    summary
    impact
    triggeringCause
    whatWentWell
    whatWentPoorly
    whereWeGotLucky
    lessons
    noActionReason
    dueAt
    updatedAt
    publishedAt
    publishedBy {
      id
      name
    }
    reviews {
      verdict
      comment
      requestedAt
      decidedAt
      reviewer {
        id
        name
      }
    }
  }
`);

export const PostmortemCommentFields = graphql(`
  fragment PostmortemCommentFields on PostmortemComment {
    id
    section
    body
    createdAt
    resolvedAt
    author {
      id
      name
    }
    resolvedBy {
      id
      name
    }
  }
`);

/** Everything the postmortem document shows (PRODUCT.md 3, issue 23), in one request. */
export const PostmortemEditorData = graphql(`
  query PostmortemEditorData($reference: String!) {
    incident(reference: $reference) {
      id
      reference
      title
      severity
      status
      customerImpact
      usersAffected
      failedRequests
      startedAt
      detectedAt
      acknowledgedAt
      mitigatedAt
      resolvedAt
      commander {
        id
        name
      }
      services {
        id
        name
      }
      ...IncidentAnalysisFields
      runbookFeedback {
        ...RunbookFeedbackFields
      }
      postmortem {
        ...PostmortemContent
        comments {
          ...PostmortemCommentFields
        }
      }
    }
    users {
      id
      name
      active
    }
  }
`);

export const UpdatePostmortem = graphql(`
  mutation UpdatePostmortem($incidentId: ID!, $expectedVersion: Int!, $input: PostmortemInput!) {
    updatePostmortem(incidentId: $incidentId, expectedVersion: $expectedVersion, input: $input) {
      ...PostmortemContent
    }
  }
`);

export const RequestPostmortemReview = graphql(`
  mutation RequestPostmortemReview($incidentId: ID!, $reviewerIds: [ID!]!) {
    requestPostmortemReview(incidentId: $incidentId, reviewerIds: $reviewerIds) {
      ...PostmortemContent
    }
  }
`);

export const ReviewPostmortem = graphql(`
  mutation ReviewPostmortem($incidentId: ID!, $verdict: ReviewVerdict!, $comment: String) {
    reviewPostmortem(incidentId: $incidentId, verdict: $verdict, comment: $comment) {
      ...PostmortemContent
    }
  }
`);

export const PublishPostmortem = graphql(`
  mutation PublishPostmortem($incidentId: ID!) {
    publishPostmortem(incidentId: $incidentId) {
      ...PostmortemContent
    }
  }
`);

export const PostmortemHistory = graphql(`
  query PostmortemHistory($reference: String!) {
    incident(reference: $reference) {
      id
      postmortem {
        id
        revisions {
          version
          createdAt
          author {
            id
            name
          }
          summary
          impact
          triggeringCause
          whatWentWell
          whatWentPoorly
          whereWeGotLucky
          lessons
          noActionReason
        }
      }
    }
  }
`);

export const AddPostmortemComment = graphql(`
  mutation AddPostmortemComment($incidentId: ID!, $section: String!, $body: String!) {
    addPostmortemComment(incidentId: $incidentId, section: $section, body: $body) {
      ...PostmortemCommentFields
    }
  }
`);

export const ResolvePostmortemComment = graphql(`
  mutation ResolvePostmortemComment($id: ID!) {
    resolvePostmortemComment(id: $id) {
      ...PostmortemCommentFields
    }
  }
`);

export const PostmortemDrafting = graphql(`
  query PostmortemDrafting {
    postmortemDrafting {
      enabled
      model
      sections
    }
  }
`);

export const DraftPostmortemSection = graphql(`
  mutation DraftPostmortemSection($incidentId: ID!, $section: String!) {
    draftPostmortemSection(incidentId: $incidentId, section: $section) {
      id
      section
      model
      droppedCitations
      sentences {
        text
        citedEventIds
        uncited
        findings {
          phrase
          suggestion
          rule
        }
      }
    }
  }
`);

export const RecordPostmortemDraftOutcome = graphql(`
  mutation RecordPostmortemDraftOutcome($id: ID!, $outcome: PostmortemDraftOutcome!) {
    recordPostmortemDraftOutcome(id: $id, outcome: $outcome)
  }
`);
