import { rankSimilar, scoreSimilarity, significantWords, SimilarityCandidate, SimilarityProfile } from './similarity.rule';

const at = (d: string) => new Date(`${d}T00:00:00Z`);
const subject: SimilarityProfile = {
  id: 's', startedAt: at('2026-05-01'), serviceIds: ['checkout'], categories: ['CERTIFICATE_OR_SECRET'], safeguardKinds: ['ALERTING'],
  text: 'Checkout down: the TLS certificate expired',
};
const cand = (id: string, over: Partial<SimilarityCandidate>): SimilarityCandidate => ({
  id, startedAt: at('2026-01-01'), serviceIds: [], categories: [], safeguardKinds: [], text: '', textSimilarity: 0, ...over,
});
const names = (id: string) => ({ checkout: 'checkout-api', search: 'search-api' })[id] ?? id;

describe('similar incidents', () => {
  it('states every reason, the repeat signal first', () => {
    const m = scoreSimilarity(subject, cand('a', {
      serviceIds: ['checkout', 'search'], categories: ['CERTIFICATE_OR_SECRET', 'CAPACITY'], safeguardKinds: ['ALERTING'],
      text: 'Payments failed when a certificate expired', textSimilarity: 0.4,
    }), names);
    expect(m.reasons).toEqual([
      'same service and factor category: checkout-api; certificate or secret',
      'same failed safeguard: alerting',
      'similar text: certificate, expired',
    ]);
    // 3 (one service) + 2 (one category) + 3 (both) + 1.5 (one safeguard) + 6 × 0.4
    expect(m.score).toBeCloseTo(11.9, 9);
  });

  it('names a service or a category alone when they do not come together', () => {
    expect(scoreSimilarity(subject, cand('b', { serviceIds: ['checkout'] }), names).reasons).toEqual(['same service: checkout-api']);
    expect(scoreSimilarity(subject, cand('c', { categories: ['CERTIFICATE_OR_SECRET'] }), names).reasons).toEqual(['same factor category: certificate or secret']);
    expect(scoreSimilarity(subject, cand('d', { textSimilarity: 0.05 })).score).toBe(0);
  });

  it('ranks best first, recent first on ties, leaves out itself and weak matches, and caps the list', () => {
    const list = [
      cand('s', { serviceIds: ['checkout'], categories: ['CERTIFICATE_OR_SECRET'] }),
      cand('weak', { safeguardKinds: [], textSimilarity: 0.1 }),
      cand('old', { serviceIds: ['checkout'], startedAt: at('2025-01-01') }),
      cand('new', { serviceIds: ['checkout'], startedAt: at('2026-02-01') }),
      cand('best', { serviceIds: ['checkout'], categories: ['CERTIFICATE_OR_SECRET'] }),
    ];
    expect(rankSimilar(subject, list, 5).map((m) => m.id)).toEqual(['best', 'new', 'old']);
    expect(rankSimilar(subject, list, 1).map((m) => m.id)).toEqual(['best']);
    expect(rankSimilar(subject, list, 0)).toHaveLength(1);
    expect(rankSimilar(subject, list, 500)).toHaveLength(3);
  });

  it('keeps significant words only', () => {
    expect([...significantWords('The DNS outage: Route53 failed, and the DNS was down')].sort()).toEqual(['dns', 'failed', 'route53']);
  });
});
