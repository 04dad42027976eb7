import { graphql } from '@hindsight/web-data-access';

/** A service as the Services page lists it: what createService returns, so it joins the list in the cache. */
export const CatalogService = graphql(`
  fragment CatalogService on Service {
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
`);

export const ServicesPageQuery = graphql(`
  query ServicesPage {
    services {
      ...CatalogService
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
      ...CatalogService
    }
  }
`);

export const CreateSlo = graphql(`
  mutation CreateSlo($input: CreateSloInput!) {
    createSlo(input: $input) {
      ...SloFields
    }
  }
`);

/** A team as the Teams page lists it: what createTeam returns, so it joins the list in the cache. */
export const CatalogTeam = graphql(`
  fragment CatalogTeam on Team {
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
`);

export const TeamsPageQuery = graphql(`
  query TeamsPage {
    teams {
      ...CatalogTeam
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
      ...CatalogTeam
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
