import { blamelessReview } from '@hindsight/domain';
import { decodeFindings, encodeFindings } from './blameless-review.codec';

describe('findings across the worker thread', () => {
  it('come back exactly as the review found them, each distinct string sent once', () => {
    const text = 'Alice should have known the canary was off. It was human error. `human_error` in a log is fine. Bob was careless. '.repeat(50);
    const findings = blamelessReview(text);
    expect(findings.length).toBeGreaterThan(100);
    const encoded = encodeFindings(findings);
    expect(encoded.spans.length).toBe(findings.length * 4);
    expect(encoded.strings.length).toBe(new Set([...findings.map((f) => f.suggestion), ...findings.map((f) => f.rule)]).size);
    expect(decodeFindings(text, encoded)).toEqual(findings);
  });

  it('carries no findings as an empty buffer', () => {
    expect(decodeFindings('', encodeFindings([]))).toEqual([]);
  });
});
