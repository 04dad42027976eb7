import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  ActionStatus,
  LadderAudience,
  LadderDecision,
  ladderDecision,
  ladderIndex,
  ladderRecipients,
  LadderStep,
  latestDueAtNeedingAction,
  NudgeSubjectKind,
  postmortemLadderDecision,
  postmortemLadderRecipients,
  PostmortemStatus,
  reachedStepBounds,
  runbookLadderDecision,
  runbookLadderRecipients,
} from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import { CandidateRow, ChannelRow, ChaseRepository, IdRange, NewDelivery, NewNudge } from './chase.repository';
import { NO_SMTP_ERROR } from './channels/email/email.channel';
import { SlackAppLink } from './channels/slack/slack-app.port';

/**
 * Receives the ids of PENDING deliveries right after their transaction commits. They are
 * written with enqueued_at already set (saving an update per delivery): a relay that cannot
 * enqueue them clears it (ChaseRepository.unmarkEnqueued); if the worker dies first, its
 * restart's recovery pass (every pending delivery) or, after STALE_ENQUEUE_MS, any worker's
 * pass enqueues them.
 */
export type OutboxRelay = (deliveryIds: string[]) => Promise<void>;

export interface SweepResult {
  /** Subjects the ladder was evaluated for. */
  evaluated: number;
  /** Steps recorded to be sent / recorded as superseded, by this sweep. */
  sent: number;
  superseded: number;
  /** Outbox rows created (to send, and failed at once because no SMTP is configured). */
  deliveries: number;
  failedAtOnce: number;
}

/** A chunk recording this many ledger rows refreshes the ledger's planner statistics. */
const ANALYZE_AFTER_ROWS = 2000;

const DEADLOCK = '40P01';
const SERIALIZATION = '40001';

const ALL_IDS: IdRange = { from: null, below: null };
const MIDDLE_ID = '80000000-0000-0000-0000-000000000000';
const ACTION_ITEM_HALVES: IdRange[] = [{ from: null, below: MIDDLE_ID }, { from: MIDDLE_ID, below: null }];

/** A chunk decided and ready to write: its ledger rows, and the deliveries of each step to send (keyed by subject and step). */
interface PlannedChunk {
  candidates: CandidateRow[];
  nudges: NewNudge[];
  deliveries: Map<string, Omit<NewDelivery, 'nudgeId'>[]>;
}

const NO_ONE: ReadonlySet<string> = new Set();

/** Channels indexed once per sweep: a team's, and leadership's (team_id NULL). */
class ChannelIndex {
  private readonly byTeam = new Map<string, ChannelRow[]>();
  readonly leadership: ChannelRow[] = [];
  constructor(channels: readonly ChannelRow[]) {
    for (const c of channels) {
      if (c.teamId === null) this.leadership.push(c);
      else this.byTeam.set(c.teamId, [...(this.byTeam.get(c.teamId) ?? []), c]);
    }
  }
  ofTeam(teamId: string | null): ChannelRow[] {
    return teamId ? (this.byTeam.get(teamId) ?? []) : [];
  }
}

/**
 * The sweep (PRODUCT.md 4, "exactly once per step"): reads the subjects whose reached step
 * is not yet recorded, asks the domain ladder what to send, and in ONE transaction per
 * chunk records the steps in the ledger (ON CONFLICT DO NOTHING on the unique key) and
 * writes the deliveries of the steps it actually inserted — the outbox. Concurrent or
 * repeated sweeps therefore create each step's deliveries once, whoever wins the insert.
 */
@Injectable()
export class ChaseSweepService {
  private readonly log = new Logger('ChaseSweep');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ChaseRepository,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly slackApp: SlackAppLink,
  ) {}

  /**
   * The people of a chunk the Slack app may DM (matched to a Slack user, or to be looked up by
   * address when delivered), when it is set up: they get their reminder there too, as its own
   * delivery. One look-up per chunk.
   */
  private async slackReachable(rows: readonly CandidateRow[], on: boolean): Promise<ReadonlySet<string>> {
    const port = this.slackApp.get();
    if (!on || !port || rows.length === 0) return NO_ONE;
    const emails = new Set<string>();
    for (const r of rows) {
      if (r.ownerEmail) emails.add(r.ownerEmail.toLowerCase());
      if (r.managerEmail) emails.add(r.managerEmail.toLowerCase());
    }
    return emails.size ? port.reachable([...emails]) : NO_ONE;
  }

  /** `analyzeAfterRows`: a chunk recording this many ledger rows refreshes the ledger's statistics (and turns on read-ahead). */
  async sweep(now: Date, relay: OutboxRelay, chunkSize = 5000, analyzeAfterRows = ANALYZE_AFTER_ROWS): Promise<SweepResult> {
    const result: SweepResult = { evaluated: 0, sent: 0, superseded: 0, deliveries: 0, failedAtOnce: 0 };
    const channels = new ChannelIndex(await this.repo.listChannels());
    const slackOn = (await this.slackApp.get()?.enabled().catch(() => false)) ?? false;
    const latest = latestDueAtNeedingAction(now);
    const bounds = reachedStepBounds(now);
    // Enqueueing chunk n (Redis) overlaps recording chunk n + 1 (Postgres); each chunk's
    // deliveries are committed before they are relayed, and all are relayed before returning.
    let relayed: Promise<void> = Promise.resolve();
    let analyzed = false;
    const reader = (kind: NudgeSubjectKind, ids: IdRange) => (cursor: { dueAtKey: string; id: string } | null) =>
      this.readChunk(kind, now, latest, bounds, cursor, chunkSize, ids).then(async (rows) => this.plan(kind, rows, channels, now, await this.slackReachable(rows, slackOn)));
    /** One keyset stream of subjects, chunk after chunk; `first`: its first chunk, already being read. */
    const stream = async (kind: NudgeSubjectKind, ids: IdRange, first?: Promise<PlannedChunk>): Promise<void> => {
      let after: { dueAtKey: string; id: string } | null = null;
      let prefetched: Promise<PlannedChunk> | null = first ?? null;
      const next = reader(kind, ids);
      for (;;) {
        const chunk: PlannedChunk = await (prefetched ?? next(after));
        prefetched = null;
        const { candidates } = chunk;
        if (candidates.length === 0) break;
        const last = candidates[candidates.length - 1];
        after = { dueAtKey: last.dueAtKey, id: last.id };
        const more = candidates.length === chunkSize;
        // Read and decide the next chunk while this one is written: the keyset puts its subjects
        // after this chunk's, so neither sees the other's ledger rows. Not before the first large
        // chunk has refreshed the ledger's statistics, which the read's plan depends on.
        if (more && analyzed) {
          prefetched = next(after);
          // Handled here so a failure of this chunk's write leaves no unhandled rejection behind.
          prefetched.catch(() => undefined);
        }
        result.evaluated += candidates.length;
        const before = result.sent + result.superseded;
        const pending = await this.recordChunk(kind, chunk, result);
        if (pending.length) relayed = relayed.then(() => relay(pending));
        if (!analyzed && result.sent + result.superseded - before >= analyzeAfterRows) {
          analyzed = true;
          await this.repo.analyzeLedger(false);
        }
        if (!more) break;
      }
    };
    try {
      // Action items in two halves of the id space whose first chunks are read at once: the
      // statement that probes the ledger once per open item due soon (nearly all of a sweep with
      // little to send) runs on two backends together. Their chunks are then written half after
      // half, one at a time, each half reading ahead of its own writes.
      const [lower, upper] = ACTION_ITEM_HALVES;
      const upperFirst = reader('ACTION_ITEM', upper)(null);
      // Handled here so a failure of the lower half leaves no unhandled rejection behind.
      upperFirst.catch(() => undefined);
      await stream('ACTION_ITEM', lower);
      await stream('ACTION_ITEM', upper, upperFirst);
      await stream('POSTMORTEM', ALL_IDS);
      await stream('RUNBOOK', ALL_IDS);
    } finally {
      await relayed;
    }
    if (analyzed) await this.repo.analyzeLedger(true);
    return result;
  }

  /** One keyset page of subjects whose reached step is not yet recorded, with the steps that are. */
  private readChunk(
    kind: NudgeSubjectKind,
    now: Date,
    latest: Date,
    bounds: ReturnType<typeof reachedStepBounds>,
    after: { dueAtKey: string; id: string } | null,
    chunkSize: number,
    ids: IdRange,
  ): Promise<CandidateRow[]> {
    return kind === 'ACTION_ITEM'
      ? this.repo.actionItemCandidates(now, latest, bounds, after, chunkSize, ids)
      : kind === 'POSTMORTEM'
        ? this.repo.postmortemCandidates(latest, bounds, after, chunkSize)
        : this.repo.runbookCandidates(latest, bounds, after, chunkSize);
  }

  private decide(kind: NudgeSubjectKind, row: CandidateRow, now: Date): LadderDecision {
    switch (kind) {
      case 'ACTION_ITEM':
        return ladderDecision({ dueAt: row.dueAt, status: row.status as ActionStatus, snoozedUntil: row.snoozedUntil, alreadySent: row.recorded }, now);
      case 'POSTMORTEM':
        return postmortemLadderDecision({ dueAt: row.dueAt, status: row.status as PostmortemStatus, alreadySent: row.recorded }, now);
      case 'RUNBOOK':
        return runbookLadderDecision({ dueAt: row.dueAt, alreadySent: row.recorded }, now);
      default: {
        const unknown: never = kind;
        throw new Error(`unknown nudge subject ${String(unknown)}`);
      }
    }
  }

  /**
   * Decides a chunk: the steps to record (sorted by subject and step, so concurrent sweeps lock
   * rows in one order) and the deliveries each step to send would have. Pure computation, so it
   * runs while the previous chunk is being written.
   */
  private plan(kind: NudgeSubjectKind, candidates: CandidateRow[], channels: ChannelIndex, now: Date, slackDm: ReadonlySet<string> = NO_ONE): PlannedChunk {
    const nudges: NewNudge[] = [];
    const deliveries = new Map<string, Omit<NewDelivery, 'nudgeId'>[]>();
    for (const row of candidates) {
      const d = this.decide(kind, row, now);
      const steps: [LadderStep, boolean][] = [...d.superseded.map((s): [LadderStep, boolean] => [s, true]), ...(d.send ? [[d.send, false] as [LadderStep, boolean]] : [])];
      steps.sort((a, b) => ladderIndex(a[0]) - ladderIndex(b[0]));
      // A superseded step addressed no team; leaving its team_id NULL also spares its reference check (two ledger rows in three on a first sweep).
      for (const [step, superseded] of steps) nudges.push({ subjectKind: kind, subjectId: row.id, dueAtKey: row.dueAtKey, step, superseded, teamId: superseded ? null : row.teamId });
      if (d.send) deliveries.set(`${row.id}:${d.send}`, this.deliveriesFor(kind, row, d.send, channels, slackDm));
    }
    return { candidates, nudges, deliveries };
  }

  /** One chunk, one transaction; retried on deadlock (the statement order makes it unlikely). */
  private async recordChunk(kind: NudgeSubjectKind, chunk: PlannedChunk, result: SweepResult): Promise<string[]> {
    if (chunk.nudges.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ds.transaction(async (em) => {
          const inserted = await this.repo.insertNudges(em, chunk.nudges);
          const deliveries: NewDelivery[] = [];
          let sent = 0;
          for (const n of inserted) {
            if (n.superseded) continue;
            sent++;
            for (const d of chunk.deliveries.get(`${n.subjectId}:${n.step}`) ?? []) deliveries.push({ ...d, nudgeId: n.id });
          }
          const pending = await this.repo.insertDeliveries(em, deliveries, true);
          // Counted only once the transaction is certain to commit (no throw below this line).
          result.sent += sent;
          result.superseded += inserted.length - sent;
          result.deliveries += deliveries.length;
          result.failedAtOnce += deliveries.length - pending.length;
          return pending;
        });
      } catch (e) {
        const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
        if ((code === DEADLOCK || code === SERIALIZATION) && attempt < 3) {
          this.log.warn(`chunk of ${chunk.candidates.length} ${kind} subjects hit ${code}; retrying`);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * The deliveries of one sent step: people by email (one per distinct address), then the
   * team's channels, then leadership channels, as ladderRecipients orders them.
   */
  private deliveriesFor(kind: NudgeSubjectKind, row: CandidateRow, step: LadderStep, channels: ChannelIndex, slackDm: ReadonlySet<string>): Omit<NewDelivery, 'nudgeId'>[] {
    const audiences: LadderAudience[] =
      kind === 'ACTION_ITEM'
        ? ladderRecipients(step, { hasAssignee: row.ownerEmail !== null })
        : kind === 'POSTMORTEM'
          ? postmortemLadderRecipients(step, { hasCommander: row.ownerEmail !== null })
          : runbookLadderRecipients(step);
    const smtp = this.config.smtpUrl !== null;
    const out: Omit<NewDelivery, 'nudgeId'>[] = [];
    const seen = new Set<string>();
    const add = (key: string, d: Omit<NewDelivery, 'nudgeId' | 'digestId' | 'status' | 'lastError'>) => {
      if (seen.has(key)) return;
      seen.add(key);
      const failed = d.kind === 'EMAIL' && !smtp;
      out.push({ ...d, digestId: null, status: failed ? 'FAILED' : 'PENDING', lastError: failed ? NO_SMTP_ERROR : null });
    };
    const person = (email: string | null, name: string | null) => {
      if (email) add(`EMAIL:${email.toLowerCase()}`, { kind: 'EMAIL', channelId: null, recipient: email, recipientName: name });
      // The Slack app's DM: its own delivery (and ledger of attempts) next to the e-mail.
      if (email && slackDm.has(email.toLowerCase())) add(`SLACK:${email.toLowerCase()}`, { kind: 'SLACK', channelId: null, recipient: email, recipientName: name });
    };
    const channel = (c: ChannelRow) =>
      add(c.kind === 'EMAIL' ? `EMAIL:${c.target.toLowerCase()}` : `CHANNEL:${c.id}`, { kind: c.kind, channelId: c.id, recipient: c.kind === 'EMAIL' ? c.target : c.name, recipientName: null });
    for (const audience of audiences) {
      switch (audience) {
        case 'ASSIGNEE':
        case 'COMMANDER':
          person(row.ownerEmail, row.ownerName);
          break;
        case 'TEAM_MANAGER':
          person(row.managerEmail, row.managerName);
          break;
        case 'TEAM_CHANNELS':
          channels.ofTeam(row.teamId).forEach(channel);
          break;
        case 'LEADERSHIP_CHANNELS':
          channels.leadership.forEach(channel);
          break;
        default: {
          const unknown: never = audience;
          throw new Error(`unknown audience ${String(unknown)}`);
        }
      }
    }
    return out;
  }
}
