import type { Priority, TrackerKind, TrackerState } from '@hindsight/domain';

/** An issue as a tracker reports it, normalised. */
export interface RemoteIssue {
  key: string;
  url: string;
  state: TrackerState;
  updatedAt: Date;
  /** YYYY-MM-DD; undefined for trackers without due dates (GitHub). */
  dueDate?: string | null;
  /** Who closed it, when the tracker says. */
  closedBy?: string | null;
}

export interface NewIssue {
  title: string;
  description: string;
  dueDate: string;
  priority: Priority;
  /** Unique per link: written into the issue so a retry finds it instead of creating another. */
  marker: string;
  assigneeEmail: string | null;
}

/** The tracker's answer the moment it has made an issue, before anything else is asked. */
export interface CreatedIssue {
  key: string;
  id: string;
}

/** What a batch read found: the issues, and the keys the tracker says do not exist (deleted, or no longer visible to the token). */
export interface IssueBatch {
  issues: RemoteIssue[];
  gone: string[];
}

/** One webhook, normalised: which issue, its state now, who acted. */
export interface WebhookObservation {
  key: string;
  state: TrackerState;
  updatedAt: Date;
  actor: string | null;
  dueDate?: string | null;
  /** The event says the issue was deleted (state and time are then its last). */
  deleted?: boolean;
}

export interface ConnectionSettings {
  kind: TrackerKind;
  baseUrl: string;
  project: string;
  token: string;
  /** Jira Cloud: the API token's account e-mail. Absent: Jira Data Center (personal access token). */
  email: string | null;
}

/** The same shape for every tracker: the sync service never knows which one it talks to. */
export interface TrackerAdapter {
  readonly hasDueDates: boolean;
  /** How people write the issue: `acme/api#7`, `OPS-12`, `group/project#3`. */
  display(key: string): string;
  /** Throws TrackerHttpError saying why the connection cannot work (unreachable, 401, project not found). */
  check(): Promise<void>;
  /**
   * The issue carrying `marker`, created since `since`, if any. `createdIds`: issues we made
   * for this marker whose creation may not be searchable yet (Jira Cloud's search reads them
   * consistently when named in `reconcileIssues`).
   */
  findByMarker(marker: string, since: Date, createdIds: readonly string[]): Promise<RemoteIssue | null>;
  /** `created` is awaited as soon as the tracker has answered, before any further request. */
  create(issue: NewIssue, created: (c: CreatedIssue) => Promise<void>): Promise<RemoteIssue>;
  get(key: string): Promise<RemoteIssue>;
  /**
   * Up to BATCH keys, in as few requests as the tracker allows (its paging followed). Keys the
   * tracker says do not exist come back in `gone`; one such key never fails the others. Keys
   * in neither list were left out by the tracker without saying why.
   */
  getMany(keys: readonly string[]): Promise<IssueBatch>;
  setState(key: string, state: TrackerState, comment: string): Promise<RemoteIssue>;
  setDueDate(key: string, dueDate: string): Promise<void>;
  /** Null for events that are not about an issue's state (comments, other projects). */
  parseWebhook(body: unknown, headers: Record<string, string | string[] | undefined>): WebhookObservation | null;
}

export const TRACKER_BATCH = 50;
