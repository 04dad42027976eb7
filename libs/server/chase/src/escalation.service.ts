import { Inject, Injectable } from '@nestjs/common';
import { ActionStatus, EscalationChannel, escalationHistory, EscalationStepView, EscalationSubject, PostmortemStatus } from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { NO_SMTP_ERROR } from './channels/email/email.channel';
import { ChaseRepository, EscalationFactsRow } from './chase.repository';

/**
 * Escalation truth (issue 23): each subject's ladder steps for its current due date, with whom
 * they reached or why nobody, and the next step. The ledger and the channels are read here;
 * what the steps mean is the domain's escalationHistory, which reuses the ladder's own rules.
 */
@Injectable()
export class EscalationService {
  constructor(
    private readonly repo: ChaseRepository,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /** Two statements for any number of subjects: their facts, and the channels. */
  async histories(kind: 'ACTION_ITEM' | 'POSTMORTEM', subjectIds: readonly string[], now = new Date()): Promise<Map<string, EscalationStepView[]>> {
    const [facts, channels] = await Promise.all([this.repo.escalationFacts(kind, subjectIds), this.repo.listChannels()]);
    const leadership: EscalationChannel[] = channels.filter((c) => c.teamId === null);
    const ofTeam = (teamId: string | null): EscalationChannel[] => (teamId ? channels.filter((c) => c.teamId === teamId) : []);
    return new Map(facts.map((f) => [f.subjectId, this.history(kind, f, ofTeam(f.teamId), leadership, now)]));
  }

  private history(kind: 'ACTION_ITEM' | 'POSTMORTEM', f: EscalationFactsRow, teamChannels: EscalationChannel[], leadershipChannels: EscalationChannel[], now: Date): EscalationStepView[] {
    const subject: EscalationSubject | null =
      kind === 'ACTION_ITEM'
        ? f.dueAt && { kind, dueAt: f.dueAt, status: f.status as ActionStatus, snoozedUntil: f.snoozedUntil }
        : { kind, dueAt: f.dueAt, status: f.status as PostmortemStatus };
    if (!subject) return [];
    const deliveries = f.deliveries.map((d) => ({ ...d, noEmailServer: d.status === 'FAILED' && d.lastError === NO_SMTP_ERROR }));
    return escalationHistory(
      subject,
      f.records,
      deliveries,
      {
        teamName: f.teamName, hasOwner: f.hasOwner, hasManager: f.hasManager, ownerIsManager: f.ownerIsManager,
        teamChannels, leadershipChannels, emailConfigured: this.config.smtpUrl !== null,
      },
      now,
    );
  }
}
