import { runbookReport } from './runbook-report.metric';

describe('runbookReport', () => {
  // INC a: s1 (team A, had a runbook) and s2 (team B, had none) → not covered overall, covered for A.
  // INC b: s1 only, had one → covered. INC c: s3 (team B), had one → covered.
  const pairs = [
    { incidentId: 'a', serviceId: 's1', teamId: 'A', hadRunbook: true },
    { incidentId: 'a', serviceId: 's2', teamId: 'B', hadRunbook: false },
    { incidentId: 'b', serviceId: 's1', teamId: 'A', hadRunbook: true },
    { incidentId: 'c', serviceId: 's3', teamId: 'B', hadRunbook: true },
  ];
  const feedback = [
    { verdict: 'HELPED', serviceId: 's1', teamId: 'A' },
    { verdict: 'MISSING_STEPS', serviceId: 's1', teamId: 'A' },
    { verdict: 'MISSING_STEPS', serviceId: 's3', teamId: 'B' },
  ] as const;
  const stale = [{ serviceId: 's3', teamId: 'B' }, { serviceId: 's4', teamId: 'B' }];
  const r = runbookReport(pairs, feedback, stale);
  const count = (f: { feedback: readonly { verdict: string; count: number }[] }, v: string) => f.feedback.find((x) => x.verdict === v)!.count;

  it('counts an incident as covered only when every affected service had a runbook', () => {
    expect(r).toMatchObject({ incidents: 3, coveredIncidents: 2, staleRunbooks: 2 });
    expect(r.coverage).toBeCloseTo(2 / 3);
    expect(count(r, 'MISSING_STEPS')).toBe(2);
    expect(r.feedback).toHaveLength(6);
  });

  it('judges each team and service on its own services', () => {
    const a = r.byTeam.find((t) => t.teamId === 'A')!;
    const b = r.byTeam.find((t) => t.teamId === 'B')!;
    expect(a).toMatchObject({ incidents: 2, coveredIncidents: 2, coverage: 1, staleRunbooks: 0 });
    expect(b).toMatchObject({ incidents: 2, coveredIncidents: 1, coverage: 0.5, staleRunbooks: 2 });
    expect(r.byService.find((s) => s.serviceId === 's2')).toMatchObject({ incidents: 1, coveredIncidents: 0, coverage: 0 });
    expect(r.byService.find((s) => s.serviceId === 's4')).toMatchObject({ incidents: 0, coverage: null, staleRunbooks: 1, teamId: 'B' });
  });

  it('is empty without incidents', () => {
    expect(runbookReport([], [], [])).toMatchObject({ incidents: 0, coverage: null, byTeam: [], byService: [] });
  });
});
