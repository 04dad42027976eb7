import { postmortemsPublishedOnTimeRate } from './postmortem-timeliness.metric';

const now = new Date('2024-06-30T00:00:00Z');
const d = (iso: string): Date => new Date(iso);

describe('postmortemsPublishedOnTimeRate', () => {
  it('null when nothing counts', () => {
    expect(postmortemsPublishedOnTimeRate([], now)).toBeNull();
    expect(postmortemsPublishedOnTimeRate([{ dueAt: null, publishedAt: null }], now)).toBeNull();
    // Not yet due and not published: it has not had its chance.
    expect(postmortemsPublishedOnTimeRate([{ dueAt: d('2024-07-05T00:00:00Z'), publishedAt: null }], now)).toBeNull();
  });

  it('on time = published at or before dueAt, over published or past-due postmortems', () => {
    const rate = postmortemsPublishedOnTimeRate(
      [
        { dueAt: d('2024-06-10T00:00:00Z'), publishedAt: d('2024-06-10T00:00:00Z') }, // on time (equal)
        { dueAt: d('2024-06-10T00:00:00Z'), publishedAt: d('2024-06-10T00:00:00.001Z') }, // late by 1 ms
        { dueAt: d('2024-06-20T00:00:00Z'), publishedAt: null }, // overdue, unpublished
        { dueAt: d('2024-07-20T00:00:00Z'), publishedAt: d('2024-06-25T00:00:00Z') }, // published early
        { dueAt: d('2024-07-20T00:00:00Z'), publishedAt: null }, // not yet due: skipped
        { dueAt: null, publishedAt: d('2024-06-25T00:00:00Z') }, // SEV4: skipped
      ],
      now,
    );
    expect(rate).toBe(0.5);
  });

  it('an unpublished postmortem due exactly now is not yet late', () => {
    expect(postmortemsPublishedOnTimeRate([{ dueAt: now, publishedAt: null }], now)).toBeNull();
    expect(postmortemsPublishedOnTimeRate([{ dueAt: new Date(now.getTime() - 1), publishedAt: null }], now)).toBe(0);
  });
});
