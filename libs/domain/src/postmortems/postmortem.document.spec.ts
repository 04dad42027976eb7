import { durationWords, enumWords, milestoneRows, POSTMORTEM_DOCUMENT_SECTIONS, POSTMORTEM_SECTION_TITLES, POSTMORTEM_WRITTEN_SECTIONS, postmortemOutline } from './postmortem.document';

describe('the postmortem document', () => {
  it('has one fixed order, with a title for every section and no two alike', () => {
    const outline = postmortemOutline();
    expect(outline.map((o) => o.section)).toEqual([...POSTMORTEM_DOCUMENT_SECTIONS]);
    expect(outline.map((o) => o.title)).toEqual([
      'Summary',
      'Impact',
      'Timeline',
      'Triggering cause',
      'Contributing factors',
      'Failed safeguards',
      'Hypotheses tested',
      'What went well',
      'What went poorly',
      'Where we got lucky',
      'Action items',
      'Runbook feedback',
      'Lessons',
    ]);
    expect(new Set(Object.values(POSTMORTEM_SECTION_TITLES)).size).toBe(POSTMORTEM_DOCUMENT_SECTIONS.length);
  });

  it('names the written sections among the document sections', () => {
    for (const s of POSTMORTEM_WRITTEN_SECTIONS) expect(POSTMORTEM_DOCUMENT_SECTIONS).toContain(s);
  });

  it('says durations and enum values in words', () => {
    expect(durationWords(null)).toBe('—');
    expect(durationWords(44.6)).toBe('45 min');
    expect(durationWords(200)).toBe('3 h 20 min');
    expect(durationWords(120)).toBe('2 h');
    expect(durationWords(3120)).toBe('2 d 4 h');
    expect(enumWords('FEATURE_STORE_LAG')).toBe('Feature store lag');
  });

  it('measures each milestone from the start, for Dates and ISO strings alike', () => {
    const rows = milestoneRows({ startedAt: '2024-05-04T09:00:00Z', detectedAt: '2024-05-04T09:12:00Z', acknowledgedAt: null, mitigatedAt: '2024-05-04T11:00:00Z', resolvedAt: null });
    expect(rows.map((r) => [r.label, r.sinceStartMinutes])).toEqual([
      ['Started', null],
      ['Detected', 12],
      ['Acknowledged', null],
      ['Mitigated', 120],
      ['Resolved', null],
    ]);
    expect(milestoneRows({ startedAt: new Date('2024-01-01T00:00:00Z'), detectedAt: new Date('2024-01-01T00:05:00Z'), acknowledgedAt: null, mitigatedAt: null, resolvedAt: null })[1]?.sinceStartMinutes).toBe(5);
    expect(rows[1]?.durationLabel).toBe('Time to detect');
  });
});
