import { graphql } from '@hindsight/web-data-access';

export const PolicyFigures = graphql(`
  fragment PolicyFigures on Policies {
    hourlyResponderRate
    personDayCost
    runbookReviewDays
    fixHoldDays
    postmortemDueDays {
      SEV1
      SEV2
      SEV3
      SEV4
    }
    actionItemDueDays {
      P0
      P1
      P2
      P3
    }
  }
`);

export const PoliciesQuery = graphql(`
  query PoliciesSettings {
    policies {
      ...PolicyFigures
    }
  }
`);

export const UpdatePolicies = graphql(`
  mutation UpdatePolicies($input: PoliciesInput!) {
    updatePolicies(input: $input) {
      ...PolicyFigures
    }
  }
`);

/** A person as Settings lists them: what createUser returns, so the new one joins the list in the cache. */
export const SettingsUser = graphql(`
  fragment SettingsUser on User {
    id
    name
    email
    role
    active
    mustChangePassword
  }
`);

export const UsersQuery = graphql(`
  query UsersSettings {
    users {
      ...SettingsUser
    }
  }
`);

export const CreateUser = graphql(`
  mutation CreateUserSettings($input: CreateUserInput!) {
    createUser(input: $input) {
      ...SettingsUser
    }
  }
`);

export const SetUserActive = graphql(`
  mutation SetUserActive($userId: ID!, $active: Boolean!) {
    setUserActive(userId: $userId, active: $active) {
      id
      name
      active
    }
  }
`);

export const SetUserRole = graphql(`
  mutation SetUserRoleSettings($userId: ID!, $role: Role!) {
    setUserRole(userId: $userId, role: $role) {
      id
      role
    }
  }
`);

export const UpdateUser = graphql(`
  mutation UpdateUserSettings($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      name
      email
    }
  }
`);

export const ResetUserPassword = graphql(`
  mutation ResetUserPasswordSettings($userId: ID!, $temporaryPassword: String!) {
    resetUserPassword(userId: $userId, temporaryPassword: $temporaryPassword) {
      id
      mustChangePassword
    }
  }
`);

export const EndUserSessions = graphql(`
  mutation EndUserSessionsSettings($userId: ID!) {
    endUserSessions(userId: $userId)
  }
`);

export const SessionLifetimesQuery = graphql(`
  query SessionLifetimesSettings {
    sessionLifetimes {
      idleTimeoutMinutes
      absoluteLifetimeHours
    }
  }
`);

export const UpdateSessionLifetimes = graphql(`
  mutation UpdateSessionLifetimesSettings($input: SessionLifetimesInput!) {
    updateSessionLifetimes(input: $input) {
      idleTimeoutMinutes
      absoluteLifetimeHours
    }
  }
`);

export const MySessions = graphql(`
  query MySessions {
    mySessions {
      id
      createdAt
      lastUsedAt
      userAgent
      clientIp
      current
    }
  }
`);

export const EndSession = graphql(`
  mutation EndMySession($id: ID!) {
    endSession(id: $id)
  }
`);

export const SignOutEverywhere = graphql(`
  mutation SignOutEverywhere($keepCurrent: Boolean!) {
    signOutEverywhere(keepCurrent: $keepCurrent)
  }
`);

export const ChangePassword = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

export const DeleteChannel = graphql(`
  mutation DeleteChannelSettings($id: ID!) {
    deleteNotificationChannel(id: $id)
  }
`);

export const TestChannel = graphql(`
  mutation TestChannelSettings($id: ID!) {
    testNotificationChannel(id: $id)
  }
`);

/** A token as the lists show it: what createApiToken returns, so the new one joins the list in the cache. */
export const ApiTokenRow = graphql(`
  fragment ApiTokenRow on ApiToken {
    id
    name
    prefix
    scope
    createdAt
    expiresAt
    lastUsedAt
    revokedAt
    user {
      id
      name
    }
  }
`);

export const ApiTokensQuery = graphql(`
  query ApiTokensSettings {
    apiTokens {
      ...ApiTokenRow
    }
  }
`);

export const CreateApiToken = graphql(`
  mutation CreateApiTokenSettings($name: String!, $scope: ApiTokenScope, $expiresAt: DateTime) {
    createApiToken(name: $name, scope: $scope, expiresAt: $expiresAt) {
      token
      apiToken {
        ...ApiTokenRow
      }
    }
  }
`);

export const RevokeApiToken = graphql(`
  mutation RevokeApiTokenSettings($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
    }
  }
`);

/** A channel as Settings lists it: what createNotificationChannel returns, so it joins the list in the cache. */
export const ChannelRow = graphql(`
  fragment ChannelRow on NotificationChannel {
    id
    kind
    name
    target
    team {
      id
      name
    }
  }
`);

export const ChannelsQuery = graphql(`
  query ChannelsSettings {
    notificationChannels {
      ...ChannelRow
    }
    teams {
      id
      name
    }
  }
`);

export const CreateChannel = graphql(`
  mutation CreateChannelSettings($input: NotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      ...ChannelRow
    }
  }
`);

export const RunChaseNow = graphql(`
  mutation RunChaseNowSettings {
    runChaseNow
  }
`);

export const SlackSettingsQuery = graphql(`
  query SlackSettings {
    slackSettings {
      configured
      source
      updatedAt
      workspace
    }
  }
`);

export const SaveSlackSettings = graphql(`
  mutation SaveSlackSettings($botToken: String!, $signingSecret: String!) {
    saveSlackSettings(botToken: $botToken, signingSecret: $signingSecret) {
      configured
      source
      updatedAt
      workspace
    }
  }
`);

export const DeleteSlackSettings = graphql(`
  mutation DeleteSlackSettings {
    deleteSlackSettings {
      configured
      source
      updatedAt
      workspace
    }
  }
`);

export const LinkSlackAccount = graphql(`
  mutation LinkSlackAccount($token: String!) {
    linkSlackAccount(token: $token)
  }
`);
