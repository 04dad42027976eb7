import { graphql } from '@hindsight/web-data-access';

export const ServicesPageQuery = graphql(`
  query ServicesPage {
    services {
      id
      name
      kind
      tier
      revenuePerMinute
      team {
        id
        name
      }
      slos {
        ...SloFields
      }
      runbooks {
        id
        title
        isStale
        reviewDueAt
        version
      }
    }
    teams {
      id
      name
    }
    staleRunbooks: runbooks(stale: true) {
      id
      title
      reviewDueAt
      service {
        id
        name
      }
    }
  }
`);

export const CreateService = graphql(`
  mutation CreateService($input: CreateServiceInput!) {
    createService(input: $input) {
      id
      name
    }
  }
`);

export const CreateSlo = graphql(`
  mutation CreateSlo($input: CreateSloInput!) {
    createSlo(input: $input) {
      id
    }
  }
`);

export const TeamsPageQuery = graphql(`
  query TeamsPage {
    teams {
      id
      name
      slug
      manager {
        id
        name
      }
      members {
        id
        name
        email
        active
      }
      services {
        id
        name
      }
    }
    users {
      id
      name
      email
      active
    }
  }
`);

export const CreateTeam = graphql(`
  mutation CreateTeam($input: CreateTeamInput!) {
    createTeam(input: $input) {
      id
    }
  }
`);

export const AddTeamMember = graphql(`
  mutation AddTeamMember($teamId: ID!, $userId: ID!) {
    addTeamMember(teamId: $teamId, userId: $userId) {
      id
      members {
        id
        name
        email
      }
    }
  }
`);

export const UpdateTeam = graphql(`
  mutation UpdateTeam($id: ID!, $name: String, $managerId: ID) {
    updateTeam(id: $id, name: $name, managerId: $managerId) {
      id
      name
      manager {
        id
        name
      }
    }
  }
`);

export const RemoveTeamMember = graphql(`
  mutation RemoveTeamMember($teamId: ID!, $userId: ID!) {
    removeTeamMember(teamId: $teamId, userId: $userId) {
      id
      members {
        id
        name
        email
      }
    }
  }
`);
