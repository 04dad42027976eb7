import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  addDays,
  nudgeResponseStats,
  ActionStatus,
  actionItemHealth,
  DigestContent,
  DigestItem,
  DigestRunbook,
  digestPeriod,
  digestReviewLink,
  formatReference,
  isOpenStatus,
  isOverdue,
  latestDueAtNeedingAction,
  LeadershipDigestContent,
  SEVERITIES,
  Severity,
  TeamDigestContent,
} from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource, queryOne, queryRows } from '@hindsight/server-db';
import { ChannelRow, ChaseRepository, NewDelivery } from './chase.repository';
import { OutboxRelay } from './chase-sweep.service';
import { NO_SMTP_ERROR } from './channels/email/email.channel';

/** How many items a digest lists by name; the link shows the rest. */
export const DIGEST_ITEMS_LISTED = 10;

interface TeamRow {
  id: string;
  name: string;
  slug: string;
  managerEmail: string | null;
  managerName: string | null;
}

interface ItemRow {
  id: string;
  title: string;
  status: ActionStatus;
  dueAt: Date;
  completedAt: Date | null;
  incidentNumber: number;
}

export interface DigestResult {
  created: number;
  deliveries: number;
}

/**
 * Weekly digests (PRODUCT.md 4). One per team and one for leadership per week, guarded by
 * the unique (kind, team, week) constraint: the digest row and its deliveries are written
 * in one transaction, so a second run of the job in the same week creates nothing.
 */
@Injectable()
export class DigestService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ChaseRepository,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async createWeekly(now: Date, relay: OutboxRelay): Promise<DigestResult> {
    const period = digestPeriod(now);
    const channels = await this.repo.listChannels();
    const result: DigestResult = { created: 0, deliveries: 0 };
    const teams = await queryRows<TeamRow>(
      this.ds,
      `SELECT t.id, t.name, t.slug, m.email AS "managerEmail", m.name AS "managerName"
         FROM teams t LEFT JOIN users m ON m.id = t.manager_id AND m.active ORDER BY t.name`,
    );
    for (const team of teams) {
      const teamChannels = channels.filter((c) => c.teamId === team.id);
      if (teamChannels.length === 0 && !team.managerEmail) continue;
      const content = await this.teamContent(team, period.from, period.to, now);
      const people = team.managerEmail ? [{ email: team.managerEmail, name: team.managerName }] : [];
      await this.record('TEAM', team.id, period.from, content, teamChannels, people, relay, result);
    }
    const leadership = channels.filter((c) => c.teamId === null);
    if (leadership.length > 0) {
      const content = await this.leadershipContent(period.from, period.to, now);
      await this.record('LEADERSHIP', null, period.from, content, leadership, [], relay, result);
    }
    return result;
  }

  private async record(
    kind: 'TEAM' | 'LEADERSHIP', teamId: string | null, weekStart: Date, content: DigestContent,
    channels: ChannelRow[], people: { email: string; name: string | null }[], relay: OutboxRelay, result: DigestResult,
  ): Promise<void> {
    const pending = await this.ds.transaction(async (em) => {
      const digest = await queryOne<{ id: string }>(
        em,
        `INSERT INTO digests (kind, team_id, week_start, content) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT digests_once_per_week DO NOTHING RETURNING id`,
        [kind, teamId, weekStart, JSON.stringify(content)],
      );
      if (!digest) return [];
      result.created++;
      const smtp = this.config.smtpUrl !== null;
      const email = (recipient: string, recipientName: string | null, channelId: string | null): NewDelivery => ({
        nudgeId: null, digestId: digest.id, kind: 'EMAIL', channelId, recipient, recipientName,
        status: smtp ? 'PENDING' : 'FAILED', lastError: smtp ? null : NO_SMTP_ERROR,
      });
      const rows: NewDelivery[] = [
        ...people.map((p) => email(p.email, p.name, null)),
        ...channels.map((c): NewDelivery =>
          c.kind === 'EMAIL' ? email(c.target, null, c.id) : { nudgeId: null, digestId: digest.id, kind: c.kind, channelId: c.id, recipient: c.name, recipientName: null, status: 'PENDING', lastError: null },
        ),
      ];
      result.deliveries += rows.length;
      return this.repo.insertDeliveries(em, rows);
    });
    if (pending.length) await relay(pending);
  }

  private item(row: ItemRow): DigestItem {
    return { title: row.title, incidentReference: formatReference(row.incidentNumber), dueAt: row.dueAt.toISOString(), url: `${this.config.publicUrl}/action-items/${row.id}` };
  }

  private async teamContent(team: TeamRow, from: Date, to: Date, now: Date): Promise<TeamDigestContent> {
    const items = await queryRows<ItemRow>(
      this.ds,
      `SELECT a.id, a.title, a.status, a.due_at AS "dueAt", a.completed_at AS "completedAt", i.number AS "incidentNumber"
         FROM action_items a JOIN incidents i ON i.id = a.incident_id
        WHERE a.owner_team_id = $1 AND a.committed AND (a.status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED') OR (a.status = 'DONE' AND a.completed_at >= $2 AND a.completed_at < $3))
        ORDER BY a.due_at, a.id`,
      [team.id, from, to],
    );
    const open = items.filter((i) => isOpenStatus(i.status));
    const health = actionItemHealth(open, now);
    const soon = latestDueAtNeedingAction(now).getTime();
    const overdue = open.filter((i) => isOverdue(i, now));
    return {
      kind: 'TEAM',
      team: team.name,
      weekStart: from.toISOString(),
      open: health.open,
      dueSoon: open.filter((i) => !isOverdue(i, now) && i.dueAt.getTime() <= soon).length,
      overdue: health.overdue,
      doneThisWeek: items.filter((i) => i.status === 'DONE').length,
      overdueItems: overdue.slice(0, DIGEST_ITEMS_LISTED).map((i) => this.item(i)),
      // How the team answered reminders over the four weeks to the digest's end, by step (never by person).
      responses: nudgeResponseStats(await this.repo.nudgeAnswers(addDays(to, -28), to, team.id), now).map((r) => ({
        step: r.step, nudges: r.nudges, answeredWithinTwoDays: r.answeredWithinWindow, medianHoursToAnswer: r.medianHoursToAnswer,
      })),
      staleRunbooks: await this.staleRunbooksOfTeam(team.id, now),
      url: `${this.config.publicUrl}/action-items?team=${encodeURIComponent(team.slug)}`,
    };
  }

  /**
   * Counts are set-based over the whole database; "overdue" is isOverdue in SQL (open and
   * due_at < now). Items at the LEADERSHIP step are those whose LEADERSHIP step is in the
   * ledger for their current due date and that are still open.
   */
  private async leadershipContent(from: Date, to: Date, now: Date): Promise<LeadershipDigestContent> {
    const previous = new Date(from.getTime() - (to.getTime() - from.getTime()));
    const incidents = await queryRows<{ severity: Severity; thisWeek: boolean; n: number }>(
      this.ds,
      `SELECT severity, started_at >= $2 AS "thisWeek", count(*)::int AS n FROM incidents
        WHERE started_at >= $1 AND started_at < $3 GROUP BY 1, 2`,
      [previous, from, to],
    );
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    let thisWeek = 0;
    let previousWeek = 0;
    for (const r of incidents) {
      if (r.thisWeek) {
        bySeverity[r.severity] += r.n;
        thisWeek += r.n;
      } else previousWeek += r.n;
    }
    const counts = await queryOne<{ opened: number; done: number; overdue: number; pmOverdue: number }>(
      this.ds,
      `SELECT (SELECT count(*)::int FROM action_items WHERE created_at >= $1 AND created_at < $2) AS opened,
              (SELECT count(*)::int FROM action_items WHERE status = 'DONE' AND completed_at >= $1 AND completed_at < $2) AS done,
              (SELECT count(*)::int FROM action_items WHERE committed AND status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED') AND due_at < $3) AS overdue,
              (SELECT count(*)::int FROM postmortems WHERE status <> 'PUBLISHED' AND due_at IS NOT NULL AND due_at < $3) AS "pmOverdue"`,
      [from, to, now],
    );
    const rows = await queryRows<ItemRow & { team: string }>(
      this.ds,
      `SELECT a.id, a.title, a.status, a.due_at AS "dueAt", a.completed_at AS "completedAt", i.number AS "incidentNumber", t.name AS team
         FROM nudges n
         JOIN action_items a ON a.id = n.subject_id AND a.due_at = n.due_at
         JOIN incidents i ON i.id = a.incident_id
         JOIN teams t ON t.id = a.owner_team_id
        WHERE n.subject_kind = 'ACTION_ITEM' AND n.step = 'LEADERSHIP' AND a.status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED')
        ORDER BY t.name, a.due_at, a.id`,
    );
    const groups = new Map<string, DigestItem[]>();
    for (const r of rows) {
      const list = groups.get(r.team) ?? [];
      if (list.length < DIGEST_ITEMS_LISTED) list.push(this.item(r));
      groups.set(r.team, list);
    }
    return {
      kind: 'LEADERSHIP',
      weekStart: from.toISOString(),
      incidents: { thisWeek, previousWeek, bySeverity },
      actionItems: { opened: counts?.opened ?? 0, done: counts?.done ?? 0, overdue: counts?.overdue ?? 0 },
      postmortemsOverdue: counts?.pmOverdue ?? 0,
      leadershipItems: [...groups].map(([team, items]) => ({ team, items })),
      staleRunbooks: await queryRows<{ team: string; count: number }>(
        this.ds,
        `SELECT t.name AS team, count(*)::int AS count FROM runbooks r JOIN services s ON s.id = r.service_id JOIN teams t ON t.id = s.team_id
          WHERE r.review_due_at <= $1 GROUP BY t.name ORDER BY t.name`,
        [now],
      ),
      url: `${this.config.publicUrl}/reports`,
      review: digestReviewLink(this.config.publicUrl, to),
    };
  }

  /** The team's runbooks whose review is due at `now`, longest-due first (runbooks_review_due_idx). */
  private async staleRunbooksOfTeam(teamId: string, now: Date): Promise<{ count: number; listed: DigestRunbook[] }> {
    const rows = await queryRows<{ id: string; title: string; service: string; reviewDueAt: Date; total: number }>(
      this.ds,
      `SELECT r.id, r.title, s.name AS service, r.review_due_at AS "reviewDueAt", count(*) OVER ()::int AS total
         FROM runbooks r JOIN services s ON s.id = r.service_id
        WHERE s.team_id = $1 AND r.review_due_at <= $2
        ORDER BY r.review_due_at, r.id LIMIT ${DIGEST_ITEMS_LISTED}`,
      [teamId, now],
    );
    return {
      count: rows[0]?.total ?? 0,
      listed: rows.map((r) => ({ title: r.title, service: r.service, reviewDueAt: r.reviewDueAt.toISOString(), url: `${this.config.publicUrl}/runbooks/${r.id}` })),
    };
  }
}
