import { postmortemOutline } from '@hindsight/domain';
import { postmortemMarkdown, PostmortemDocument } from './postmortem.markdown';

const doc: PostmortemDocument = {
  reference: 'INC-7',
  title: 'Checkout\nerrors',
  severity: 'SEV1',
  status: 'RESOLVED',
  commander: 'Casey',
  services: ['checkout-api', 'ledger'],
  customerImpact: 'Card payments\ndeclined',
  usersAffected: 1200,
  failedRequests: null,
  startedAt: new Date('2024-05-01T10:00:00Z'),
  detectedAt: new Date('2024-05-01T10:05:00Z'),
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: new Date('2024-05-01T11:00:00Z'),
  postmortem: {
    status: 'DRAFT', version: 3, dueAt: new Date('2024-05-06T11:00:00Z'), publishedAt: null,
    summary: 'It broke.\n\nThen it was fixed.', impact: null, triggeringCause: 'A release', whatWentWell: null, whatWentPoorly: null,
    whereWeGotLucky: null, lessons: null, noActionReason: null,
  },
  timeline: [{ occurredAt: new Date('2024-05-01T10:02:00Z'), kind: 'ALERT', description: 'Error rate\nabove 5 %', evidenceUrl: 'https://grafana.example.com/d/1' }],
  factors: [
    { category: 'RELEASE_REGRESSION', description: 'Client change', isTrigger: true },
    { category: 'MONITORING_GAP', description: 'No alert on declines', isTrigger: false },
  ],
  safeguards: [],
  hypotheses: [{ statement: 'The ledger was slow', status: 'REJECTED', evidence: 'p99 flat' }],
  actionItems: [{ title: 'Add canary', kind: 'PREVENT', priority: 'P1', status: 'OPEN', dueAt: new Date('2024-06-01T00:00:00Z'), team: 'Payments', assignee: 'Robin' }],
  runbookFeedback: [{ runbook: 'Checkout rollback', service: 'checkout-api', verdict: 'MISSING_STEPS', note: 'No step for\nthe cache' }],
  reviews: [],
};

describe('postmortemMarkdown', () => {
  const text = postmortemMarkdown(doc);

  it('heads the document with the reference, a one-line title and the facts', () => {
    expect(text.startsWith('# INC-7: Checkout errors\n')).toBe(true);
    expect(text).toContain('- **Postmortem:** Draft (version 3), due 2024-05-06 11:00 UTC');
    expect(text).toContain('- **Services:** checkout-api, ledger');
  });

  it('writes every section of the document once, in the order of the domain', () => {
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(postmortemOutline().map((o) => o.title));
  });

  it('gives the impact with the customer impact and the milestone durations', () => {
    expect(text).toContain('**Customer impact:** Card payments declined; 1200 users affected\n');
    expect(text).toContain('| Detected | 2024-05-01 10:05 UTC | Time to detect: 5 min |');
    expect(text).toContain('| Acknowledged | — | Time to acknowledge: — |');
    expect(text).toContain('| Resolved | 2024-05-01 11:00 UTC | Time to resolve: 1 h |');
    expect(postmortemMarkdown({ ...doc, customerImpact: null, usersAffected: null })).not.toContain('Customer impact');
  });

  it('keeps section markdown as written and marks empty sections', () => {
    expect(text).toContain('## Summary\n\nIt broke.\n\nThen it was fixed.\n');
    expect(text).toContain('## Impact\n\n_Not written yet._');
    expect(text).toContain('## Failed safeguards\n\n_None recorded._');
  });

  it('flattens list entries to one line each', () => {
    expect(text).toContain('- **2024-05-01 10:02 UTC** Alert: Error rate above 5 % ([evidence](<https://grafana.example.com/d/1>))');
    expect(text).toContain('- [ ] **P1** Prevent: Add canary — Payments (Robin), due 2024-06-01 00:00 UTC (Open)');
    expect(text).toContain('- **Rejected**: The ledger was slow — p99 flat');
    expect(text).toContain('- **Checkout rollback** (checkout-api): Missing steps — No step for the cache');
    expect(text).not.toContain('## Reviews');
  });

  it('tells the trigger under the triggering cause, not again as the first factor', () => {
    expect(text).toContain('## Triggering cause\n\nA release\n\nRecorded as the trigger: **Release regression**: Client change\n');
    expect(text).toContain('## Contributing factors\n\n- **Monitoring gap**: No alert on declines\n');
    expect(text.match(/Client change/g)).toHaveLength(1);
  });

  it('shows the no-action reason when there are no action items', () => {
    const none = postmortemMarkdown({ ...doc, actionItems: [], postmortem: { ...doc.postmortem, noActionReason: 'Vendor issue' } });
    expect(none).toContain('## Action items\n\nNo action needed: Vendor issue');
  });
});
