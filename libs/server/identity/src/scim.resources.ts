import { SCIM_MAX_RESULTS, SCIM_SCHEMAS } from './scim.service';

/*
 * SCIM discovery documents (RFC 7643 5-7): what this service provider supports, so a client
 * (or an administrator reading them) knows which attributes are kept.
 */

const attr = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name, type, multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra,
});

const USER_SCHEMA = {
  id: SCIM_SCHEMAS.user,
  name: 'User',
  description: 'A person. userName is the sign-in e-mail; Hindsight keeps one display name; DELETE deactivates.',
  attributes: [
    attr('userName', 'string', { required: true, uniqueness: 'server' }),
    attr('externalId', 'string', { caseExact: true }),
    attr('displayName', 'string'),
    attr('name', 'complex', { subAttributes: [attr('formatted', 'string'), attr('givenName', 'string'), attr('familyName', 'string')] }),
    attr('emails', 'complex', { multiValued: true, subAttributes: [attr('value', 'string'), attr('type', 'string'), attr('primary', 'boolean')] }),
    attr('active', 'boolean'),
  ],
};

const GROUP_SCHEMA = {
  id: SCIM_SCHEMAS.group,
  name: 'Group',
  description: "A Hindsight team; members are the team's members (its manager is set in Hindsight).",
  attributes: [
    attr('displayName', 'string', { required: true, uniqueness: 'server' }),
    attr('externalId', 'string', { caseExact: true }),
    attr('members', 'complex', { multiValued: true, subAttributes: [attr('value', 'string', { mutability: 'immutable' }), attr('display', 'string', { mutability: 'readOnly' })] }),
  ],
};

export function scimSchemas(base: string): Record<string, unknown>[] {
  return [USER_SCHEMA, GROUP_SCHEMA].map((s) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], ...s, meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` } }));
}

export function scimResourceTypes(base: string): Record<string, unknown>[] {
  return [
    { id: 'User', name: 'User', endpoint: '/Users', schema: SCIM_SCHEMAS.user },
    { id: 'Group', name: 'Group', endpoint: '/Groups', schema: SCIM_SCHEMAS.group },
  ].map((r) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], ...r, meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${r.id}` } }));
}

export function scimServiceProviderConfig(base: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://github.com/hindsight/hindsight/blob/main/docs/scim.md',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer API token', description: "An ADMIN's Hindsight API token (Settings → API tokens) as Authorization: Bearer.", primary: true }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}
