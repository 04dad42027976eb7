import { diffLines, diffRunbooks, formatDiff } from './runbook.diff';

const empty = { title: 'T', detection: null, mitigation: null, verification: null, escalation: null, rollback: null, pitfalls: null };

describe('diffLines', () => {
  it('keeps common lines and marks the rest', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { op: 'SAME', text: 'a' },
      { op: 'REMOVED', text: 'b' },
      { op: 'ADDED', text: 'x' },
      { op: 'SAME', text: 'c' },
      { op: 'ADDED', text: 'd' },
    ]);
  });
  it('treats empty text as no lines', () => {
    expect(diffLines('', 'one')).toEqual([{ op: 'ADDED', text: 'one' }]);
    expect(diffLines('one', '')).toEqual([{ op: 'REMOVED', text: 'one' }]);
    expect(diffLines('', '')).toEqual([]);
  });
  it('finds the longest common run in the middle', () => {
    const ops = diffLines('1\n2\n3\n4\n5', '0\n2\n3\n4\n6').map((l) => `${l.op[0]}${l.text}`);
    expect(ops).toEqual(['R1', 'A0', 'S2', 'S3', 'S4', 'R5', 'A6']);
  });
  it('falls back to removed-then-added for very large inputs, still complete', () => {
    const a = Array.from({ length: 2500 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 2500 }, (_, i) => `b${i}`).join('\n');
    const d = diffLines(a, b);
    expect(d.filter((l) => l.op === 'REMOVED')).toHaveLength(2500);
    expect(d.filter((l) => l.op === 'ADDED')).toHaveLength(2500);
  });
});

describe('diffRunbooks', () => {
  it('lists only changed sections, in runbook order, and formats them', () => {
    const before = { ...empty, mitigation: 'Restart the consumer', pitfalls: 'None' };
    const after = { ...empty, title: 'T2', detection: 'Look at lag', mitigation: 'Restart the consumer\nDrain the queue', pitfalls: 'None' };
    const diff = diffRunbooks(before, after);
    expect(diff.map((d) => d.section)).toEqual(['title', 'detection', 'mitigation']);
    expect(formatDiff(diff.slice(2))).toBe('## Immediate mitigation\n  Restart the consumer\n+ Drain the queue');
  });
});
