import { buildDraftRequest, DraftMaterial, draftAcceptance, DRAFT_MAX_EVENTS, parseDraftAnswer } from './postmortem-draft.rules';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 3, 10, minute));

const material: DraftMaterial = {
  reference: 'INC-7', title: 'Checkout errors after a deploy', severity: 'SEV2', status: 'RESOLVED',
  startedAt: at(0), detectedAt: at(5), mitigatedAt: at(30), resolvedAt: at(45),
  services: ['checkout-api'], summary: 'Checkout failed for a third of requests.', customerImpact: 'Orders failed', usersAffected: 1200, failedRequests: null,
  timeline: [
    { id: 'ev-a', occurredAt: at(0), kind: 'CHANGE', description: 'Deploy v2.3 of checkout-api' },
    { id: 'ev-b', occurredAt: at(5), kind: 'ALERT', description: 'Error rate above 5 %' },
    { id: 'ev-c', occurredAt: at(30), kind: 'MITIGATION', description: 'Rolled back to v2.2' },
  ],
  hypotheses: [{ statement: 'The new client pool is too small', status: 'CONFIRMED', evidence: 'pool metrics' }],
  factors: [{ category: 'RELEASE_REGRESSION', description: 'Pool size lowered in v2.3', isTrigger: true }],
  safeguards: [{ kind: 'CANARY', expectedBehavior: 'halt the rollout', whyItFailed: 'canary too small' }],
  changes: [{ service: 'checkout-api', version: 'v2.3', environment: 'production', status: 'succeeded', finishedAt: at(0), role: 'TRIGGER' }],
};

describe('buildDraftRequest', () => {
  it('labels the timeline in order, sends the record and records what was sent without text', () => {
    const r = buildDraftRequest('summary', material);
    expect([...r.labels.entries()]).toEqual([['E1', 'ev-a'], ['E2', 'ev-b'], ['E3', 'ev-c']]);
    const user = r.messages[1].content;
    expect(user).toContain('E2 2026-11-03T10:05:00.000Z ALERT: Error rate above 5 %');
    expect(user).toContain('[RELEASE_REGRESSION] (trigger) Pool size lowered in v2.3');
    expect(user).toContain('CONFIRMED: The new client pool is too small (evidence: pool metrics)');
    expect(user).toContain('checkout-api v2.3 to production (succeeded), linked as TRIGGER');
    expect(user).toContain('1200 users affected');
    expect(r.messages[0].role).toBe('system');
    expect(r.sent).toEqual({
      section: 'summary', incident: 'INC-7', fields: ['title', 'severity', 'status', 'times', 'services', 'summary', 'impact'], timelineEventIds: ['ev-a', 'ev-b', 'ev-c'],
      hypotheses: 1, factors: 1, safeguards: 1, changes: 1, characters: r.messages[0].content.length + user.length,
    });
    expect(JSON.stringify(r.sent)).not.toContain('Deploy v2.3');
  });

  it('keeps the latest events when there are too many', () => {
    const timeline = Array.from({ length: DRAFT_MAX_EVENTS + 5 }, (_, i) => ({ id: `ev-${i}`, occurredAt: at(i % 60), kind: 'NOTE', description: `note ${i}` }));
    const r = buildDraftRequest('lessons', { ...material, timeline });
    expect(r.labels.size).toBe(DRAFT_MAX_EVENTS);
    expect(r.labels.get('E1')).toBe('ev-5');
  });
});

describe('parseDraftAnswer', () => {
  const labels = new Map([['E1', 'ev-a'], ['E2', 'ev-b']]);

  it('maps labels to event ids and keeps ids that were sent', () => {
    const a = parseDraftAnswer(JSON.stringify({ sentences: [{ text: ' A deploy  raised errors. ', events: ['E1', 'e2', 'ev-a'] }, { text: 'Uncited.', events: [] }] }), labels);
    expect(a).toEqual({ kind: 'draft', droppedCitations: 0, sentences: [{ text: 'A deploy raised errors.', citedEventIds: ['ev-a', 'ev-b'] }, { text: 'Uncited.', citedEventIds: [] }] });
  });

  it('drops citations to events that were not sent, and counts them', () => {
    const a = parseDraftAnswer(JSON.stringify({ sentences: [{ text: 'x', events: ['E9', 'ev-elsewhere', 'E1', 2] }] }), labels);
    expect(a).toEqual({ kind: 'draft', droppedCitations: 2, sentences: [{ text: 'x', citedEventIds: ['ev-a', 'ev-b'] }] });
  });

  it('reads JSON inside a fence or surrounded by words', () => {
    expect(parseDraftAnswer('Here:\n```json\n{"sentences":[{"text":"y","events":["E2"]}]}\n```', labels)).toMatchObject({ kind: 'draft', sentences: [{ text: 'y', citedEventIds: ['ev-b'] }] });
    expect(parseDraftAnswer('Sure! {"sentences":[{"text":"z","events":[]}]} Hope it helps', labels)).toMatchObject({ kind: 'draft' });
  });

  it('says refused or malformed', () => {
    expect(parseDraftAnswer('{"refusal": "I cannot help with that."}', labels)).toEqual({ kind: 'refused', reason: 'I cannot help with that.' });
    expect(parseDraftAnswer('not json at all', labels)).toEqual({ kind: 'malformed', reason: 'the answer is not a JSON object' });
    expect(parseDraftAnswer('{"text": "x"}', labels)).toEqual({ kind: 'malformed', reason: 'the answer has no "sentences" list' });
    expect(parseDraftAnswer('{"sentences": ["x"]}', labels)).toMatchObject({ kind: 'malformed' });
    expect(parseDraftAnswer('{"sentences": []}', labels)).toEqual({ kind: 'malformed', reason: 'the answer has no sentences' });
  });
});

describe('draftAcceptance', () => {
  it('counts outcomes per section with shares of the decided drafts', () => {
    const rows = draftAcceptance([
      { section: 'summary', outcome: 'KEPT', count: 6 },
      { section: 'summary', outcome: 'EDITED', count: 3 },
      { section: 'summary', outcome: 'DISCARDED', count: 1 },
      { section: 'summary', outcome: null, count: 2 },
      { section: 'impact', outcome: null, count: 1 },
    ]);
    expect(rows[0]).toEqual({ section: 'summary', drafted: 12, keptAsWritten: 6, keptAfterEdits: 3, discarded: 1, undecided: 2, keptAsWrittenShare: 0.6, keptAfterEditsShare: 0.3, discardedShare: 0.1 });
    expect(rows[1]).toMatchObject({ section: 'impact', drafted: 1, undecided: 1, keptAsWrittenShare: null });
    expect(rows.map((r) => r.section)).toHaveLength(8);
  });
});
