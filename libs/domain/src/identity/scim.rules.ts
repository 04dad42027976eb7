/*
 * SCIM 2.0 (RFC 7643/7644) as identity providers really speak it: the filters Okta and
 * Entra ID send, and their PATCH dialects (op in any case, "active": "False" as a string,
 * paths like `emails[type eq "work"].value` and `members[value eq "…"]`, or no path and an
 * object of attributes). Pure functions: the server applies what these return.
 */

export type ScimErrorType = 'invalidFilter' | 'invalidValue' | 'invalidPath' | 'invalidSyntax' | 'uniqueness' | 'noTarget' | 'mutability';

export class ScimRuleError extends Error {
  constructor(readonly scimType: ScimErrorType, message: string) {
    super(message);
    this.name = 'ScimRuleError';
  }
}

export interface ScimEqFilter {
  /** The attribute as the resource names it (canonical case), e.g. `userName`. */
  readonly attribute: string;
  readonly value: string;
}

/**
 * `attr eq "value"` on one of `allowed` (attribute names are case-insensitive, RFC 7644
 * 3.10); anything else is an invalidFilter error naming what is supported.
 */
export function parseScimFilter(filter: string, allowed: readonly string[]): ScimEqFilter {
  const match = /^\s*([A-Za-z][\w.]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  const attribute = match ? allowed.find((a) => a.toLowerCase() === match[1].toLowerCase()) : undefined;
  if (!match || !attribute) {
    throw new ScimRuleError('invalidFilter', `Unsupported filter "${filter}": use ${allowed.map((a) => `${a} eq "…"`).join(' or ')}.`);
  }
  return { attribute, value: match[2].replace(/\\(.)/g, '$1') };
}

/** RFC 7644 3.4.2.4: startIndex is 1-based (values below 1 mean 1), count is capped and never negative. */
export function scimPage(startIndex: unknown, count: unknown, maxCount: number): { offset: number; limit: number } {
  const start = Number.parseInt(String(startIndex ?? '1'), 10);
  const size = Number.parseInt(String(count ?? String(maxCount)), 10);
  return { offset: Number.isFinite(start) && start > 1 ? start - 1 : 0, limit: Number.isFinite(size) ? Math.min(Math.max(size, 0), maxCount) : maxCount };
}

/** Entra ID sends booleans as "True"/"False" strings. */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ScimRuleError('invalidValue', `${attribute} must be true or false (got ${JSON.stringify(value)}).`);
}

export interface ScimPatchOp {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string | null;
  readonly value: unknown;
}

/** The PatchOp body's operations, ops lower-cased; a malformed body is invalidSyntax. */
export function scimPatchOps(body: unknown): ScimPatchOp[] {
  const ops = (body as { Operations?: unknown; operations?: unknown } | null)?.Operations ?? (body as { operations?: unknown } | null)?.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimRuleError('invalidSyntax', 'A PATCH body needs "Operations": [{ "op": "add" | "remove" | "replace", "path": …, "value": … }].');
  return ops.map((raw: unknown, i) => {
    const o = (raw ?? {}) as { op?: unknown; path?: unknown; value?: unknown };
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw new ScimRuleError('invalidSyntax', `Operations[${i}].op must be add, remove or replace (got ${JSON.stringify(o.op)}).`);
    if (o.path !== undefined && o.path !== null && typeof o.path !== 'string') throw new ScimRuleError('invalidPath', `Operations[${i}].path must be text.`);
    const path = typeof o.path === 'string' && o.path.trim() !== '' ? o.path.trim() : null;
    if (!path && op === 'remove') throw new ScimRuleError('noTarget', `Operations[${i}]: remove needs a path.`);
    return { op, path, value: o.value };
  });
}

// ---------------------------------------------------------------- users

/** What Hindsight keeps of a SCIM User. `name` is one display name (Hindsight has no name parts). */
export interface ScimUserState {
  readonly userName: string;
  readonly name: string;
  readonly email: string;
  readonly active: boolean;
  readonly externalId: string | null;
}

const ENTERPRISE_PREFIX = /^urn:ietf:params:scim:schemas:(core:2\.0:User|extension:[\w:.]+):/i;

/** The person's name from SCIM's parts: `formatted`, else given + family, else displayName. */
export function scimDisplayName(name: { formatted?: unknown; givenName?: unknown; familyName?: unknown } | null | undefined, displayName: unknown): string | null {
  const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const joined = [text(name?.givenName), text(name?.familyName)].filter(Boolean).join(' ');
  return text(name?.formatted) || joined || text(displayName) || null;
}

/** Hindsight keeps one name: its first word stands for the given name, the rest for the family name. */
export function splitName(name: string): { givenName: string; familyName: string } {
  const [given, ...family] = name.trim().split(/\s+/);
  return { givenName: given ?? '', familyName: family.join(' ') };
}

/** The address to use from a SCIM emails list: the primary, else the work one, else the first. */
export function scimPrimaryEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const list = emails.filter((e): e is { value: string; type?: unknown; primary?: unknown } => typeof e?.value === 'string' && e.value.trim() !== '');
  const pick = list.find((e) => e.primary === true || e.primary === 'True' || e.primary === 'true') ?? list.find((e) => String(e.type).toLowerCase() === 'work') ?? list[0];
  return pick ? pick.value.trim() : null;
}

/**
 * A POST or PUT body as Hindsight's user: userName is the sign-in e-mail unless it is not an
 * address and an e-mail is given. Attributes Hindsight does not keep (title, phone numbers,
 * the enterprise extension…) are accepted and ignored, as providers send them all.
 */
export function scimUserFromResource(body: unknown, current?: ScimUserState): ScimUserState {
  const r = (body ?? {}) as Record<string, unknown>;
  const userName = typeof r['userName'] === 'string' ? r['userName'].trim() : '';
  if (!userName) throw new ScimRuleError('invalidValue', 'userName is required (the person\'s sign-in e-mail).');
  const email = scimPrimaryEmail(r['emails']) ?? userName;
  const name = scimDisplayName(r['name'] as Record<string, unknown> | undefined, r['displayName']) ?? current?.name ?? userName.split('@')[0];
  const active = r['active'] === undefined ? (current?.active ?? true) : scimBoolean(r['active'], 'active');
  const externalId = typeof r['externalId'] === 'string' && r['externalId'].trim() !== '' ? r['externalId'].trim() : (current?.externalId ?? null);
  return { userName, name, email: looksLikeEmail(userName) ? userName : email, active, externalId };
}

function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** Applies a User PatchOp to what Hindsight keeps; unknown attributes are ignored. */
export function applyScimUserPatch(current: ScimUserState, ops: readonly ScimPatchOp[]): ScimUserState {
  const next: { -readonly [K in keyof ScimUserState]: ScimUserState[K] } = { ...current };
  const setName = (part: 'formatted' | 'givenName' | 'familyName', value: unknown): void => {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) throw new ScimRuleError('invalidValue', `name.${part} must be non-empty text.`);
    const parts = splitName(next.name);
    next.name = part === 'formatted' ? text : part === 'givenName' ? [text, parts.familyName].filter(Boolean).join(' ') : [parts.givenName, text].filter(Boolean).join(' ');
  };
  const setUserName = (value: unknown): void => {
    if (typeof value !== 'string' || value.trim() === '') throw new ScimRuleError('invalidValue', 'userName must be non-empty text.');
    next.userName = value.trim();
    if (looksLikeEmail(next.userName)) next.email = next.userName;
  };
  const setEmail = (value: unknown): void => {
    if (typeof value !== 'string' || value.trim() === '') throw new ScimRuleError('invalidValue', 'emails.value must be non-empty text.');
    next.email = value.trim();
  };
  const apply = (op: ScimPatchOp['op'], rawPath: string, value: unknown): void => {
    const path = rawPath.replace(ENTERPRISE_PREFIX, '');
    const lower = path.toLowerCase();
    if (lower === 'active') {
      if (op === 'remove') throw new ScimRuleError('mutability', 'active cannot be removed; replace it with false to deactivate.');
      next.active = scimBoolean(value, 'active');
    } else if (lower === 'username') {
      if (op === 'remove') throw new ScimRuleError('mutability', 'userName is required and cannot be removed.');
      setUserName(value);
    } else if (lower === 'externalid') {
      next.externalId = op === 'remove' ? null : typeof value === 'string' && value.trim() ? value.trim() : null;
    } else if (lower === 'displayname' || lower === 'name.formatted') {
      if (op !== 'remove') setName('formatted', value);
    } else if (lower === 'name.givenname' || lower === 'name.familyname') {
      if (op !== 'remove') setName(lower === 'name.givenname' ? 'givenName' : 'familyName', value);
    } else if (lower === 'name') {
      const formatted = op === 'remove' ? null : scimDisplayName(value as Record<string, unknown>, null);
      if (formatted) next.name = formatted;
    } else if (/^emails(\[.*\])?(\.value)?$/i.test(path)) {
      if (op === 'remove') return;
      setEmail(Array.isArray(value) ? scimPrimaryEmail(value) : value && typeof value === 'object' ? (value as { value?: unknown }).value : value);
    }
    // Anything else (title, phoneNumbers, addresses, the enterprise extension…) is not kept.
  };
  for (const o of ops) {
    if (o.path) {
      apply(o.op, o.path, o.value);
    } else if (o.value && typeof o.value === 'object' && !Array.isArray(o.value)) {
      const value = o.value as Record<string, unknown>;
      // Okta sends the attributes to set as one object; Entra sometimes names dotted paths as keys.
      const name = value['name'] as Record<string, unknown> | undefined;
      for (const [key, v] of Object.entries(value)) if (key !== 'name' && key !== 'id' && key !== 'schemas') apply(o.op, key, v);
      if (name && typeof name === 'object') {
        for (const part of ['formatted', 'givenName', 'familyName'] as const) if (name[part] !== undefined) apply(o.op, `name.${part}`, name[part]);
      }
    } else {
      throw new ScimRuleError('invalidSyntax', `A ${o.op} without a path needs an object of attributes as its value.`);
    }
  }
  return next;
}

// ---------------------------------------------------------------- groups

/** What a Group PatchOp asks of a team: a new name and/or membership changes (user ids). */
export interface ScimGroupPatchPlan {
  displayName?: string;
  externalId?: string | null;
  /** The whole membership, when the patch replaces it. */
  replaceMembers?: string[];
  addMembers: string[];
  removeMembers: string[];
}

function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((m, i) => {
    const id = typeof m === 'string' ? m : (m as { value?: unknown } | null)?.value;
    if (typeof id !== 'string' || id.trim() === '') throw new ScimRuleError('invalidValue', `members[${i}].value must be a user id.`);
    return id.trim();
  });
}

/** The member ids of a Group resource's `members` (POST/PUT). */
export function scimGroupMembers(value: unknown): string[] {
  return [...new Set(memberIds(value))];
}

export function scimGroupPatchPlan(ops: readonly ScimPatchOp[]): ScimGroupPatchPlan {
  const plan: ScimGroupPatchPlan = { addMembers: [], removeMembers: [] };
  const apply = (op: ScimPatchOp['op'], path: string, value: unknown): void => {
    const filtered = /^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i.exec(path);
    const lower = path.toLowerCase();
    if (filtered) {
      if (op === 'remove') plan.removeMembers.push(filtered[1]);
      else plan.addMembers.push(filtered[1]);
    } else if (lower === 'members') {
      if (op === 'add') plan.addMembers.push(...memberIds(value));
      else if (op === 'remove') {
        // Without a value a remove on "members" empties the group (RFC 7644 3.5.2.2).
        if (value === undefined || value === null) Object.assign(plan, { replaceMembers: [], addMembers: [], removeMembers: [] });
        else plan.removeMembers.push(...memberIds(value));
      } else {
        plan.replaceMembers = memberIds(value);
        plan.addMembers = [];
        plan.removeMembers = [];
      }
    } else if (lower === 'displayname') {
      if (op === 'remove') throw new ScimRuleError('mutability', 'displayName is required and cannot be removed.');
      if (typeof value !== 'string' || value.trim() === '') throw new ScimRuleError('invalidValue', 'displayName must be non-empty text.');
      plan.displayName = value.trim();
    } else if (lower === 'externalid') {
      plan.externalId = op === 'remove' || typeof value !== 'string' || value.trim() === '' ? null : value.trim();
    } else {
      throw new ScimRuleError('invalidPath', `Unsupported Group path "${path}": use displayName, externalId, members or members[value eq "…"].`);
    }
  };
  for (const o of ops) {
    if (o.path) apply(o.op, o.path, o.value);
    else if (o.value && typeof o.value === 'object' && !Array.isArray(o.value)) {
      for (const [key, v] of Object.entries(o.value as Record<string, unknown>)) if (key !== 'id' && key !== 'schemas') apply(o.op, key, v);
    } else throw new ScimRuleError('invalidSyntax', `A ${o.op} without a path needs an object of attributes as its value.`);
  }
  return plan;
}
