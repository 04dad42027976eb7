import { ACTION_STATUSES, ActionStatus, LADDER_STEPS, LadderStep, POSTMORTEM_STATUSES } from '../enums/contract.enums';
import {
  ActionItemLadderState,
  earliestStepTime,
  LADDER_OFFSET_DAYS,
  ladderDecision,
  latestDueAtNeedingAction,
  nextLadderTime,
  nextPostmortemLadderTime,
  nudgeQuietReason,
  PendingNudgeFacts,
  postmortemLadderDecision,
  reachedStepBounds,
  stepReached,
  stepsReached,
  stepThresholds,
  stepTime,
} from './ladder.policy';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const dueAt = new Date('2024-06-10T09:00:00Z');
const at = (ms: number): Date => new Date(dueAt.getTime() + ms);
const item = (over: Partial<ActionItemLadderState> = {}): ActionItemLadderState => ({ dueAt, status: 'OPEN', snoozedUntil: null, alreadySent: [], ...over });
const earlier = (step: LadderStep): LadderStep[] => LADDER_STEPS.slice(0, LADDER_STEPS.indexOf(step));

describe('step times (PRODUCT.md 4)', () => {
  it('DUE_SOON −3 d, DUE 0, OVERDUE +1 d, ESCALATED +7 d, LEADERSHIP +21 d', () => {
    expect(LADDER_OFFSET_DAYS).toEqual({ DUE_SOON: -3, DUE: 0, OVERDUE: 1, ESCALATED: 7, LEADERSHIP: 21 });
    expect(stepThresholds(dueAt).map(({ step, at: t }) => [step, t.toISOString()])).toEqual([
      ['DUE_SOON', '2024-06-07T09:00:00.000Z'],
      ['DUE', '2024-06-10T09:00:00.000Z'],
      ['OVERDUE', '2024-06-11T09:00:00.000Z'],
      ['ESCALATED', '2024-06-17T09:00:00.000Z'],
      ['LEADERSHIP', '2024-07-01T09:00:00.000Z'],
    ]);
  });

  it('the earliest step time bounds the sweep query', () => {
    expect(earliestStepTime(dueAt)).toEqual(stepTime('DUE_SOON', dueAt));
    const now = new Date('2024-06-07T09:00:00Z');
    expect(latestDueAtNeedingAction(now).toISOString()).toBe('2024-06-10T09:00:00.000Z');
    // An item needs a decision only if its dueAt is within the bound.
    for (const offset of [-1, 0, 1]) {
      const d = new Date(latestDueAtNeedingAction(now).getTime() + offset);
      expect(stepsReached(d, now).length > 0).toBe(d.getTime() <= latestDueAtNeedingAction(now).getTime());
    }
  });

  it('stepReached is the most advanced step reached', () => {
    expect(stepReached(dueAt, at(-3 * DAY - 1))).toBeNull();
    expect(stepReached(dueAt, at(-3 * DAY))).toBe('DUE_SOON');
    expect(stepReached(dueAt, at(0))).toBe('DUE');
    expect(stepReached(dueAt, at(100 * DAY))).toBe('LEADERSHIP');
    expect(stepReached(new Date('bad'), at(0))).toBeNull();
  });
});

describe('ladderDecision: each step at its exact time ± 1 ms', () => {
  it.each(LADDER_STEPS.map((s) => [s]))('%s', (step) => {
    const t = stepTime(step, dueAt).getTime();
    const state = item({ alreadySent: earlier(step) });
    expect(ladderDecision(state, new Date(t - 1))).toEqual({ send: null, superseded: [] });
    expect(ladderDecision(state, new Date(t))).toEqual({ send: step, superseded: [] });
    expect(ladderDecision(state, new Date(t + 1))).toEqual({ send: step, superseded: [] });
  });

  it('nothing before DUE_SOON for a fresh item', () => {
    expect(ladderDecision(item(), at(-3 * DAY - 1))).toEqual({ send: null, superseded: [] });
    expect(ladderDecision(item(), at(-30 * DAY))).toEqual({ send: null, superseded: [] });
  });
});

describe('ladderDecision: exactly once per step', () => {
  it('a step already recorded is never returned again', () => {
    for (const step of LADDER_STEPS) {
      const now = stepTime(step, dueAt);
      expect(ladderDecision(item({ alreadySent: [...earlier(step), step] }), now)).toEqual({ send: null, superseded: [] });
    }
  });

  it('a sweep run twice sends once', () => {
    const now = at(HOUR);
    const first = ladderDecision(item({ alreadySent: ['DUE_SOON'] }), now);
    expect(first.send).toBe('DUE');
    expect(ladderDecision(item({ alreadySent: ['DUE_SOON', 'DUE'] }), now).send).toBeNull();
  });

  it('hourly sweeps over the whole ladder send each step once, in order, with nothing superseded', () => {
    const sent: LadderStep[] = [];
    const recorded: LadderStep[] = [];
    for (let t = -5 * DAY; t <= 40 * DAY; t += HOUR) {
      const d = ladderDecision(item({ alreadySent: recorded }), at(t));
      expect(d.superseded).toEqual([]);
      if (d.send) {
        sent.push(d.send);
        recorded.push(d.send);
      }
    }
    expect(sent).toEqual([...LADDER_STEPS]);
  });

  it('whatever the sweep times, each reached step ends with exactly one record and sends never step back', () => {
    // Deterministic pseudo-random gaps between sweeps, from minutes to weeks.
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 200; run++) {
      const recorded: LadderStep[] = [];
      const sent: number[] = [];
      let t = -5 * DAY + rand() * 3 * DAY;
      while (t < 30 * DAY) {
        const d = ladderDecision(item({ alreadySent: recorded }), at(t));
        for (const s of d.superseded) expect(recorded).not.toContain(s);
        if (d.send) {
          expect(recorded).not.toContain(d.send);
          sent.push(LADDER_STEPS.indexOf(d.send));
          recorded.push(d.send);
        }
        recorded.push(...d.superseded);
        const reached = stepsReached(dueAt, at(t));
        expect([...recorded].sort()).toEqual([...reached].sort());
        t += rand() ** 4 * 10 * DAY;
      }
      expect(sent).toEqual([...sent].sort((a, b) => a - b));
      expect(new Set(sent).size).toBe(sent.length);
    }
  });
});

describe('ladderDecision: several steps due at once', () => {
  it('an item created already 10 days overdue starts at ESCALATED', () => {
    expect(ladderDecision(item(), at(10 * DAY))).toEqual({ send: 'ESCALATED', superseded: ['DUE_SOON', 'DUE', 'OVERDUE'] });
  });

  it('a backfilled due date months ago starts at LEADERSHIP', () => {
    expect(ladderDecision(item(), at(90 * DAY))).toEqual({ send: 'LEADERSHIP', superseded: ['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED'] });
  });

  it('after a long worker outage only the most advanced step goes out, late but not lost', () => {
    expect(ladderDecision(item({ alreadySent: ['DUE_SOON'] }), at(8 * DAY))).toEqual({ send: 'ESCALATED', superseded: ['DUE', 'OVERDUE'] });
    expect(ladderDecision(item({ alreadySent: ['DUE_SOON', 'DUE'] }), at(DAY + 5 * HOUR))).toEqual({ send: 'OVERDUE', superseded: [] });
  });

  it('an item due exactly now sends DUE and supersedes DUE_SOON', () => {
    expect(ladderDecision(item(), at(0))).toEqual({ send: 'DUE', superseded: ['DUE_SOON'] });
  });

  it('never steps backwards: below a recorded step, reached gaps are superseded, not sent', () => {
    expect(ladderDecision(item({ alreadySent: ['ESCALATED'] }), at(2 * DAY))).toEqual({ send: null, superseded: ['DUE_SOON', 'DUE', 'OVERDUE'] });
    expect(ladderDecision(item({ alreadySent: ['OVERDUE'] }), at(8 * DAY))).toEqual({ send: 'ESCALATED', superseded: ['DUE_SOON', 'DUE'] });
  });

  it('superseded records count as recorded', () => {
    expect(ladderDecision(item({ alreadySent: ['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED'] }), at(10 * DAY))).toEqual({ send: null, superseded: [] });
  });
});

describe('ladderDecision: quiet rules', () => {
  it.each(['DONE', 'WONT_DO'] as const)('nothing for %s items', (status) => {
    expect(ladderDecision(item({ status }), at(30 * DAY))).toEqual({ send: null, superseded: [] });
  });

  it.each(['OPEN', 'IN_PROGRESS', 'BLOCKED'] as ActionStatus[])('%s items are chased', (status) => {
    expect(ladderDecision(item({ status }), at(DAY)).send).toBe('OVERDUE');
  });

  it('nothing while snoozed; resumes at snoozedUntil exactly', () => {
    const snoozedUntil = at(2 * DAY);
    expect(ladderDecision(item({ snoozedUntil, alreadySent: ['DUE_SOON'] }), at(2 * DAY - 1))).toEqual({ send: null, superseded: [] });
    expect(ladderDecision(item({ snoozedUntil, alreadySent: ['DUE_SOON'] }), snoozedUntil)).toEqual({ send: 'OVERDUE', superseded: ['DUE'] });
  });

  it('an expired snooze does not matter', () => {
    expect(ladderDecision(item({ snoozedUntil: at(-10 * DAY), alreadySent: ['DUE_SOON'] }), at(0)).send).toBe('DUE');
  });

  it('a new due date restarts the ladder (its record starts empty)', () => {
    const newDue = at(20 * DAY);
    const moved = item({ dueAt: newDue, alreadySent: [] });
    expect(ladderDecision(moved, at(8 * DAY))).toEqual({ send: null, superseded: [] });
    expect(ladderDecision(moved, new Date(newDue.getTime() - 3 * DAY)).send).toBe('DUE_SOON');
  });
});

describe('postmortemLadderDecision', () => {
  const pm = { dueAt, status: 'DRAFT' as const, alreadySent: [] as LadderStep[] };

  it('chases DRAFT and IN_REVIEW postmortems along the same ladder', () => {
    expect(postmortemLadderDecision(pm, at(-3 * DAY))).toEqual({ send: 'DUE_SOON', superseded: [] });
    expect(postmortemLadderDecision({ ...pm, status: 'IN_REVIEW' }, at(7 * DAY))).toEqual({ send: 'ESCALATED', superseded: ['DUE_SOON', 'DUE', 'OVERDUE'] });
    expect(postmortemLadderDecision({ ...pm, alreadySent: ['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED'] }, at(21 * DAY)).send).toBe('LEADERSHIP');
  });

  it('stops once published, and without a due date', () => {
    expect(postmortemLadderDecision({ ...pm, status: 'PUBLISHED' }, at(10 * DAY))).toEqual({ send: null, superseded: [] });
    expect(postmortemLadderDecision({ ...pm, dueAt: null }, at(10 * DAY))).toEqual({ send: null, superseded: [] });
  });
});

describe('nextLadderTime', () => {
  it('is the next unrecorded step time, or now when one is waiting', () => {
    expect(nextLadderTime(item(), at(-10 * DAY))).toEqual(at(-3 * DAY));
    expect(nextLadderTime(item({ alreadySent: ['DUE_SOON'] }), at(-DAY))).toEqual(dueAt);
    expect(nextLadderTime(item({ alreadySent: ['DUE_SOON'] }), at(2 * DAY))).toEqual(at(2 * DAY));
    expect(nextLadderTime(item({ alreadySent: ['DUE_SOON', 'DUE', 'OVERDUE'] }), at(2 * DAY))).toEqual(at(7 * DAY));
  });

  it('waits for the end of a snooze', () => {
    expect(nextLadderTime(item({ alreadySent: ['DUE_SOON'], snoozedUntil: at(5 * DAY) }), at(DAY))).toEqual(at(5 * DAY));
    expect(nextLadderTime(item({ alreadySent: ['DUE_SOON'], snoozedUntil: at(-5 * DAY) }), at(-2 * DAY))).toEqual(dueAt);
  });

  it('null when finished or silent', () => {
    expect(nextLadderTime(item({ alreadySent: [...LADDER_STEPS] }), at(30 * DAY))).toBeNull();
    expect(nextLadderTime(item({ alreadySent: ['LEADERSHIP'] }), at(30 * DAY))).toBeNull();
    expect(nextLadderTime(item({ status: 'DONE' }), at(0))).toBeNull();
    expect(nextPostmortemLadderTime({ dueAt, status: 'PUBLISHED', alreadySent: [] }, at(0))).toBeNull();
    expect(nextPostmortemLadderTime({ dueAt: null, status: 'DRAFT', alreadySent: [] }, at(0))).toBeNull();
    expect(nextPostmortemLadderTime({ dueAt, status: 'DRAFT', alreadySent: [] }, at(-5 * DAY))).toEqual(at(-3 * DAY));
  });
});

describe('reachedStepBounds (the SQL form of stepReached)', () => {
  const now = new Date('2024-07-01T12:00:00Z');
  const topFor = (d: Date): LadderStep | null => reachedStepBounds(now).find((b) => d.getTime() <= b.latestDueAt.getTime())?.step ?? null;

  it('lists the steps most advanced first with dueAt ≤ now − offset', () => {
    expect(reachedStepBounds(now).map((b) => [b.step, b.latestDueAt.toISOString()])).toEqual([
      ['LEADERSHIP', '2024-06-10T12:00:00.000Z'],
      ['ESCALATED', '2024-06-24T12:00:00.000Z'],
      ['OVERDUE', '2024-06-30T12:00:00.000Z'],
      ['DUE', '2024-07-01T12:00:00.000Z'],
      ['DUE_SOON', '2024-07-04T12:00:00.000Z'],
    ]);
  });

  it.each(LADDER_STEPS.map((s) => [s]))('agrees with stepReached at the %s boundary ± 1 ms', (step) => {
    const boundary = new Date(now.getTime() - LADDER_OFFSET_DAYS[step] * DAY);
    for (const d of [new Date(boundary.getTime() - 1), boundary, new Date(boundary.getTime() + 1)]) {
      expect(topFor(d)).toBe(stepReached(d, now));
    }
  });

  it('agrees with stepReached for due dates from 40 days before to 5 days after now, hourly', () => {
    for (let h = -40 * 24; h <= 5 * 24; h++) {
      const d = new Date(now.getTime() + h * HOUR);
      expect(topFor(d)).toBe(stepReached(d, now));
    }
  });
});

describe('ladderDecision: the sweep as the worker runs it', () => {
  /** Runs decisions as a sweep at each time does: record what it returns, feed it back. */
  function run(times: Date[], state: Omit<ActionItemLadderState, 'alreadySent'>): { sent: LadderStep[]; superseded: LadderStep[] } {
    const sent: LadderStep[] = [];
    const superseded: LadderStep[] = [];
    for (const t of times) {
      const d = ladderDecision({ ...state, alreadySent: [...sent, ...superseded] }, t);
      if (d.send) sent.push(d.send);
      superseded.push(...d.superseded);
    }
    return { sent, superseded };
  }

  it('a due-date change mid-ladder restarts it: the new date gets its own DUE_SOON', () => {
    const before = run([at(-3 * DAY), at(0), at(DAY)], { dueAt, status: 'OPEN' });
    expect(before).toEqual({ sent: ['DUE_SOON', 'DUE', 'OVERDUE'], superseded: [] });
    const newDue = at(14 * DAY);
    const after = run([at(2 * DAY), at(11 * DAY), at(14 * DAY), at(15 * DAY)], { dueAt: newDue, status: 'OPEN' });
    expect(after).toEqual({ sent: ['DUE_SOON', 'DUE', 'OVERDUE'], superseded: [] });
  });

  it('moving the due date into the past starts at the step already reached', () => {
    expect(run([at(0)], { dueAt: at(-8 * DAY), status: 'OPEN' })).toEqual({ sent: ['ESCALATED'], superseded: ['DUE_SOON', 'DUE', 'OVERDUE'] });
  });

  it('a snooze over several steps sends one message at its end, superseding the rest', () => {
    const r = run([at(-3 * DAY), at(0), at(8 * DAY - 1), at(8 * DAY)], { dueAt, status: 'IN_PROGRESS', snoozedUntil: at(8 * DAY) });
    expect(r).toEqual({ sent: ['ESCALATED'], superseded: ['DUE_SOON', 'DUE', 'OVERDUE'] });
  });

  it('closing the item (DONE or WONT_DO) stops the ladder where it stood', () => {
    expect(run([at(0), at(DAY)], { dueAt, status: 'DONE' })).toEqual({ sent: [], superseded: [] });
    expect(run([at(30 * DAY)], { dueAt, status: 'WONT_DO' })).toEqual({ sent: [], superseded: [] });
  });
});

describe('nudgeQuietReason: the stay-quiet rules at send time', () => {
  const now = new Date('2024-06-12T09:00:00Z');
  const facts = (over: Partial<PendingNudgeFacts> = {}): PendingNudgeFacts => ({ subjectKind: 'ACTION_ITEM', found: true, status: 'OPEN', snoozedUntil: null, sameDueDate: true, ...over });

  it('an open action item on the same due date, not snoozed, still goes out', () => {
    for (const status of ['OPEN', 'IN_PROGRESS', 'BLOCKED']) expect(nudgeQuietReason(facts({ status }), now)).toBeNull();
    // A snooze that ended at `now` exactly has ended, as for ladderDecision.
    expect(nudgeQuietReason(facts({ snoozedUntil: now }), now)).toBeNull();
  });

  it.each([
    [{ found: false }, 'the action item was deleted'],
    [{ status: 'DONE' }, 'the action item was closed (DONE) before the reminder went out'],
    [{ status: 'WONT_DO', sameDueDate: false }, 'the action item was closed (WONT_DO) before the reminder went out'],
    [{ sameDueDate: false }, "the action item's due date changed, which restarted its reminders"],
    [{ snoozedUntil: new Date(now.getTime() + 1) }, 'the action item was snoozed before the reminder went out'],
    [{ subjectKind: 'POSTMORTEM', status: 'DRAFT', found: false }, 'the postmortem was deleted'],
    [{ subjectKind: 'POSTMORTEM', status: 'PUBLISHED' }, 'the postmortem was published before the reminder went out'],
    [{ subjectKind: 'POSTMORTEM', status: 'IN_REVIEW', sameDueDate: false }, "the postmortem's due date changed"],
    [{ subjectKind: 'RUNBOOK', status: null, found: false }, 'the runbook was deleted'],
    [{ subjectKind: 'RUNBOOK', status: null, sameDueDate: false }, 'the runbook was reviewed or revised before the reminder went out'],
  ] as const)('%j: %s', (over, reason) => {
    expect(nudgeQuietReason(facts(over), now)).toBe(reason);
  });

  it('agrees with ladderDecision: whatever it lets through, the ladder would not call quiet', () => {
    for (const status of ACTION_STATUSES) {
      for (const snoozedUntil of [null, new Date(now.getTime() - 1), new Date(now.getTime() + 1)]) {
        const quiet = nudgeQuietReason(facts({ status, snoozedUntil }), now) !== null;
        const silent = ladderDecision({ dueAt: new Date(now.getTime() - 2 * DAY), status, snoozedUntil, alreadySent: [] }, now).send === null;
        expect(quiet).toBe(silent);
      }
    }
    for (const status of POSTMORTEM_STATUSES) {
      const quiet = nudgeQuietReason(facts({ subjectKind: 'POSTMORTEM', status }), now) !== null;
      expect(quiet).toBe(postmortemLadderDecision({ dueAt: new Date(now.getTime() - 2 * DAY), status, alreadySent: [] }, now).send === null);
    }
  });
});
