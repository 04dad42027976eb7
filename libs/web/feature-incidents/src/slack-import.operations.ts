import { graphql } from '@hindsight/web-data-access';

export const SlackImportProposalFields = graphql(`
  fragment SlackImportProposalFields on SlackImportProposal {
    ts
    occurredAt
    author
    text
    permalink
  }
`);

export const SlackImport = graphql(`
  query SlackImport($incidentId: ID!) {
    slackImportProposals(incidentId: $incidentId) {
      ...SlackImportProposalFields
    }
  }
`);

export const SetIncidentSlackChannel = graphql(`
  mutation SetIncidentSlackChannel($incidentId: ID!, $channel: String) {
    setIncidentSlackChannel(incidentId: $incidentId, channel: $channel) {
      id
      slackChannel
    }
  }
`);

export const ImportSlackChannel = graphql(`
  mutation ImportSlackChannel($incidentId: ID!) {
    importSlackChannel(incidentId: $incidentId) {
      ...SlackImportProposalFields
    }
  }
`);

export const KeepSlackImportProposal = graphql(`
  mutation KeepSlackImportProposal($incidentId: ID!, $ts: String!, $kind: TimelineEventKind!, $description: String) {
    keepSlackImportProposal(incidentId: $incidentId, ts: $ts, kind: $kind, description: $description) {
      ...TimelineEventFields
    }
  }
`);

export const DropSlackImportProposal = graphql(`
  mutation DropSlackImportProposal($incidentId: ID!, $ts: String!) {
    dropSlackImportProposal(incidentId: $incidentId, ts: $ts)
  }
`);
