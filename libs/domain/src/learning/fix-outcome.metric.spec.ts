import { FIX_HOLD_DAYS, fixesHeldByTeam, fixOutcome, FixedItem, LaterIncident, recurs } from './fix-outcome.metric';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 1);
const day = (n: number) => new Date(t0 + n * DAY);
const item = (over: Partial<FixedItem> = {}): FixedItem => ({
  id: 'i', ownerTeamId: 'team', completedAt: day(0), serviceIds: ['svc'], category: 'CONFIG_CHANGE', safeguardKind: null, ...over,
});
const incident = (id: string, n: number, over: Partial<LaterIncident> = {}): LaterIncident => ({
  id, startedAt: day(n), serviceIds: ['svc'], categories: ['CONFIG_CHANGE'], safeguardKinds: [], ...over,
});

describe('a fix held', () => {
  it('recurs on the same service and category, or the same safeguard kind', () => {
    expect(recurs(item(), incident('a', 1))).toBe(true);
    expect(recurs(item(), incident('a', 1, { serviceIds: ['other'] }))).toBe(false);
    expect(recurs(item(), incident('a', 1, { categories: ['CAPACITY'] }))).toBe(false);
    expect(recurs(item({ category: null, safeguardKind: 'CANARY' }), incident('a', 1, { serviceIds: ['other'], categories: [], safeguardKinds: ['CANARY'] }))).toBe(true);
  });

  it('held after 90 days without a recurrence; too early before; recurred at the first one', () => {
    expect(fixOutcome(item(), [], day(FIX_HOLD_DAYS))).toEqual({ held: true, recurredAt: null, recurrenceId: null, daysHeld: 90 });
    expect(fixOutcome(item(), [], day(30))).toEqual({ held: null, recurredAt: null, recurrenceId: null, daysHeld: 30 });
    expect(fixOutcome(item(), [incident('late', 91), incident('b', 40), incident('a', 20)], day(200))).toEqual({ held: false, recurredAt: day(20), recurrenceId: 'a', daysHeld: 20 });
    // An incident at the very completion instant is not after it; one exactly 90 days later still counts.
    expect(fixOutcome(item(), [incident('same', 0)], day(200)).held).toBe(true);
    expect(fixOutcome(item(), [incident('edge', 90)], day(200)).recurrenceId).toBe('edge');
    expect(fixOutcome(item(), [incident('a', 20)], day(10)).held).toBeNull();
    expect(fixOutcome(item(), [], day(30), 20).held).toBe(true);
  });

  it("per team: held ÷ (held + recurred) with its sample, too few below 5 — exact against a generated history", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const teams = ['a', 'b', 'c'];
    const items: FixedItem[] = Array.from({ length: 60 }, (_, k) => item({
      id: `item${k}`, ownerTeamId: teams[k % 3], completedAt: day(Math.floor(rnd() * 300)), serviceIds: [`s${Math.floor(rnd() * 4)}`],
      category: rnd() < 0.8 ? 'CONFIG_CHANGE' : null, safeguardKind: rnd() < 0.3 ? 'ALERTING' : null,
    }));
    const incidents = Array.from({ length: 80 }, (_, k) => incident(`inc${k}`, Math.floor(rnd() * 400), {
      serviceIds: [`s${Math.floor(rnd() * 4)}`], categories: rnd() < 0.5 ? ['CONFIG_CHANGE'] : ['CAPACITY'], safeguardKinds: rnd() < 0.2 ? ['ALERTING'] : [],
    }));
    const now = day(320);
    const outcomes = items.map((i) => fixOutcome(i, incidents, now));
    // The reference: a plain loop over every pair, written independently.
    for (const [k, it] of items.entries()) {
      const hits = incidents.filter((x) => x.startedAt > it.completedAt && x.startedAt.getTime() <= it.completedAt.getTime() + 90 * DAY && x.startedAt <= now &&
        ((it.category && x.categories.includes(it.category) && x.serviceIds.some((s) => it.serviceIds.includes(s))) || (it.safeguardKind && x.safeguardKinds.includes(it.safeguardKind))));
      const expected = hits.length ? false : now.getTime() - it.completedAt.getTime() >= 90 * DAY ? true : null;
      expect(outcomes[k].held).toBe(expected);
    }
    const byTeam = fixesHeldByTeam(items, outcomes);
    for (const t of byTeam) {
      const mine = outcomes.filter((_, k) => items[k].ownerTeamId === t.teamId);
      const held = mine.filter((o) => o.held === true).length;
      const recurred = mine.filter((o) => o.held === false).length;
      expect(t).toEqual({ teamId: t.teamId, held, recurred, tooEarly: mine.length - held - recurred, sampleSize: held + recurred, heldShare: held + recurred >= 5 ? held / (held + recurred) : null });
    }
    expect(fixesHeldByTeam(items.slice(0, 4), outcomes.slice(0, 4)).every((t) => t.heldShare === null)).toBe(true);
  });
});
