import { blamelessReview } from './blameless.review';
import { BlamelessRuleId, SUGGESTIONS } from './blameless.rules';

const phrases = (text: string): string[] => blamelessReview(text).map((f) => f.phrase);

describe('blamelessReview: flags blame-laden phrasing', () => {
  it.each<[string, string, BlamelessRuleId]>([
    ['The outage was caused by human error.', 'human error', 'human-error'],
    ['Classic Human Error on a Friday.', 'Human Error', 'human-error'],
    ['It was operator error.', 'operator error', 'human-error'],
    ['human-error again', 'human-error', 'human-error'],
    ['The change was careless.', 'careless', 'careless'],
    ['It was carelessly rolled out', 'carelessly', 'careless'],
    ['pure carelessness', 'carelessness', 'careless'],
    ['We should have known better.', 'should have known better', 'should-have-known'],
    ["We should've known", "should've known", 'should-have-known'],
    ['anyone ought to have known', 'ought to have known', 'should-have-known'],
    ['This was negligence.', 'negligence', 'negligence'],
    ['a negligent rollout', 'negligent', 'negligence'],
    ['Who is to blame?', 'blame', 'blame'],
    ['The team blamed the vendor', 'blamed', 'blame'],
    ['It was the fault of the rollout tooling', 'fault of', 'fault'],
    ['the on-call was at fault', 'at fault', 'fault'],
    ['an incompetent change', 'incompetent', 'judgement'],
    ['sloppy code review', 'sloppy', 'judgement'],
    ['a lazy workaround', 'lazy', 'judgement'],
    ['a stupid mistake', 'stupid mistake', 'judgement'],
    ['a rookie mistake', 'rookie mistake', 'judgement'],
    ['reckless deploys', 'reckless', 'judgement'],
    ["They didn't bother to check the dashboard", "didn't bother", 'didnt-bother'],
    ['he couldn’t be bothered', 'couldn’t be bothered', 'didnt-bother'],
    ['This was obviously wrong', 'obviously', 'obviously'],
    ['In hindsight it was so obvious', 'was so obvious', 'obviously'],
    ['We need to be more careful', 'be more careful', 'more-careful'],
    ['Someone dropped the ball', 'Someone dropped the ball', 'informal-blame'],
    ['a fat-fingered config value', 'fat-fingered', 'informal-blame'],
  ])('%j → %j (%s)', (text, phrase, rule) => {
    const findings = blamelessReview(text);
    expect(findings).toHaveLength(1);
    expect(findings[0].phrase).toBe(phrase);
    expect(findings[0].rule).toBe(rule);
    expect(text.slice(findings[0].start, findings[0].end)).toBe(phrase);
  });

  it.each<[string, string, BlamelessRuleId]>([
    ['Alice forgot to renew the certificate.', 'Alice forgot to', 'person-forgot'],
    ['Bob forgot about the migration', 'Bob forgot about', 'person-forgot'],
    ['He failed to follow the runbook.', 'He failed to', 'person-failed'],
    ['she failed to page the secondary', 'she failed to', 'person-failed'],
    ['Then they forgot to drain the node', 'they forgot to', 'person-forgot'],
    ['The on-call engineer forgot to page the DBA', 'The on-call engineer forgot to', 'person-forgot'],
    ['the developer neglected to add a test', 'the developer neglected to', 'person-failed'],
    ['Alice Smith failed to rotate the key', 'Alice Smith failed to', 'person-failed'],
    ['Priya accidentally ignored the alert', 'Priya accidentally ignored', 'person-failed'],
    ['Tom missed the page at 3am', 'Tom missed', 'person-failed'],
    ["she didn't notice the alert", "she didn't notice", 'person-failed'],
    ['I forgot to merge the fix', 'I forgot to', 'person-forgot'],
    ['Bob caused the outage', 'Bob caused', 'person-caused'],
    ['Carol broke production', 'Carol broke', 'person-caused'],
    ['Dave took down the database', 'Dave took down', 'person-caused'],
    ["Alice's change caused the outage", "Alice's change caused", 'person-caused'],
    ['Erin made a mistake in the config', 'Erin made a mistake', 'person-caused'],
    ['Frank should have checked the canary', 'Frank should have', 'person-should-have'],
    ["the engineer's change caused the outage", "the engineer's change caused", 'person-caused'],
    ['Yesterday Alice forgot to renew it', 'Alice forgot to', 'person-forgot'],
    ['Afterwards, Bob failed to escalate', 'Bob failed to', 'person-failed'],
    ['Our SRE missed the alert', 'Our SRE missed', 'person-failed'],
    ['Mark neglected the alert', 'Mark neglected', 'person-failed'],
    ['Alice should not have deployed on Friday', 'Alice should not have', 'person-should-have'],
    ['Alice shouldn’t have deployed', 'Alice shouldn’t have', 'person-should-have'],
    ['It was Alice who broke production.', 'Alice who broke', 'person-caused'],
    ['It was Bob who forgot to renew the certificate', 'Bob who forgot to', 'person-forgot'],
    ['Alice was responsible for the outage.', 'Alice was responsible for the outage', 'person-responsible'],
    ['Bob is solely responsible for this incident', 'Bob is solely responsible for this incident', 'person-responsible'],
    ['the on-call engineer was responsible for the downtime', 'the on-call engineer was responsible for the downtime', 'person-responsible'],
  ])('a person as the subject: %j → %j', (text, phrase, rule) => {
    const findings = blamelessReview(text);
    expect(findings.map((f) => [f.phrase, f.rule])).toEqual([[phrase, rule]]);
  });

  it.each([
    ['It broke because Alice pushed a bad config', 'because Alice pushed'],
    ['The outage was caused by Alice.', 'caused by Alice'],
    ["due to John's mistake", "due to John's mistake"],
    ["because of Bob's change", "because of Bob's change"],
    ['triggered by Maria during the rollout', 'triggered by Maria'],
    ['because he restarted the wrong cluster', 'because he restarted'],
    ['introduced by the new intern', 'introduced by the new intern'],
    ["It was Sam's fault", "Sam's fault"],
    ["the on-call engineer's mistake", "the on-call engineer's mistake"],
    ["due to the intern's oversight", "due to the intern's oversight"],
    ['an error was his own mistake', 'his own mistake'],
    ['because Alice Smith deployed', 'because Alice Smith deployed'],
    ['The root cause was Bob.', 'root cause was Bob'],
    ['Root cause: the intern', 'Root cause: the intern'],
    ['It was a mistake by Alice', 'mistake by Alice'],
    ['an oversight by the new developer', 'oversight by the new developer'],
    ["The mistake was Alice's", "mistake was Alice's"],
    ["the fault is entirely the intern's", "fault is entirely the intern's"],
  ])('a named person as the cause: %j → %j', (text, phrase) => {
    expect(phrases(text)).toEqual([phrase]);
  });

  it('overlapping matches merge into one finding with the most specific suggestion', () => {
    const findings = blamelessReview('Alice should have been more careful.');
    expect(findings).toEqual([{ phrase: 'Alice should have been more careful', start: 0, end: 35, suggestion: SUGGESTIONS.moreCareful, rule: 'more-careful' }]);
    expect(phrases('Bob should have known better')).toEqual(['Bob should have known better']);
    expect(phrases('It failed because Alice forgot to renew it')).toEqual(['because Alice forgot to']);
    expect(blamelessReview('They should have known better.').map((f) => [f.phrase, f.rule])).toEqual([['They should have known better', 'should-have-known']]);
    expect(blamelessReview('It was the fault of the intern').map((f) => [f.phrase, f.rule])).toEqual([['fault of the intern', 'fault']]);
  });

  it('is case-insensitive for phrases', () => {
    expect(phrases('HUMAN ERROR')).toEqual(['HUMAN ERROR']);
    expect(phrases('Careless')).toEqual(['Careless']);
    expect(phrases('SHOULD HAVE KNOWN')).toEqual(['SHOULD HAVE KNOWN']);
  });
});

describe('blamelessReview: leaves system-focused and technical text alone', () => {
  it.each([
    'the cache failed to warm',
    'The health check failed to respond within 5s',
    'the deploy failed to roll out to eu-west-1',
    'The service failed to start',
    'The pods failed to become ready',
    'It failed to start after the upgrade',
    'Deploy failed to finish before the freeze',
    'Replication failed to catch up',
    'Kubernetes forgot nothing',
    'Kubernetes failed to schedule the pod',
    'Redis failed to fail over',
    'Alertmanager ignored the silence',
    'Errors were not caught by the canary',
    'errors were not caught',
    'Human factors review scheduled for Tuesday',
    'human factors',
    'This is a blameless postmortem',
    'We run blame-free reviews',
    'Nobody is to blame for this',
    'We do not blame individuals',
    'I ran git blame on the file',
    'fault tolerance, fault injection and a page fault',
    'a segmentation fault in the parser',
    'lazy loading of the model weights',
    'the lazy-loaded module',
    'a dumb pipe between services',
    'We failed to detect the issue for 40 minutes',
    "Monday's deploy caused the outage",
    'because DNS resolution failed',
    'due to a bad config push',
    'caused by the cache stampede',
    'because the certificate expired',
    'the alert missed the spike',
    'The Scheduler caused a backlog',
    'the error rate rose to 5%',
    'Stripe’s error rate spiked',
    'Alice was the incident commander; she paged the database team at 10:02',
    'Bob deployed v2.3 at 09:58',
    'the check should have fired at 10:00 but the threshold was too high',
    'GitHub Actions failed to publish the image',
    'The retries piled up and they caused a thundering herd',
    'They crashed under load',
    'Kafka Connect crashed',
    'Staging failed to deploy',
    'Support missed the ticket',
    "the vendor's mistake",
    "the error rate rose after Alice's error budget review",
    'Google Cloud failed to provision the volume',
    'AWS Lambda missed the event',
    'the human_error_count metric',
    'isCareless(flag)',
    'config.blame.enabled',
    'see src/careless/handler.ts',
    '#blame-channel',
    'a carefully written runbook',
    'the blameworthy-sounding label was renamed',
    'It was the scheduler that broke the build',
    'Anyone who forgot to rotate their token was logged out',
    'Customers who missed the email kept the old plan',
    'The root cause was a race condition in the cache',
    "The root cause was Monday's deploy",
    'The root cause is unknown',
    'Alice was responsible for the rollout plan',
    'The scheduler was responsible for the outage',
    'Which service was responsible for the errors?',
    'They were responsible for the error rate dashboards',
    "The error was Stripe's",
    'Errors by region rose to 4%',
    'The canary should not have passed with no traffic',
    'The alert neglected to fire',
    'Monitoring missed the spike',
    '',
    '   ',
  ])('%j', (text) => {
    expect(blamelessReview(text)).toEqual([]);
  });

  it('skips code and links', () => {
    expect(blamelessReview('Log: `human error in handler`')).toEqual([]);
    expect(blamelessReview('```\nERROR: careless write detected\nAlice forgot to\n```')).toEqual([]);
    expect(blamelessReview('See https://wiki.example.com/human-error-policy and https://x.io/blame')).toEqual([]);
    expect(phrases('`careless` flag, but this was careless')).toEqual(['careless']);
  });
});

describe('blamelessReview: offsets', () => {
  it('UTF-16 offsets, end exclusive, sorted by start, never overlapping', () => {
    const text = '🔥 Alice forgot to renew. It was human error, and careless — obviously.';
    const findings = blamelessReview(text);
    expect(findings.map((f) => f.phrase)).toEqual(['Alice forgot to', 'human error', 'careless', 'obviously']);
    for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.phrase);
    expect(findings[0].start).toBe(3); // the emoji is two UTF-16 units
    for (let i = 1; i < findings.length; i++) expect(findings[i].start).toBeGreaterThanOrEqual(findings[i - 1].end);
  });

  it('every finding carries a suggestion that itself reads blamelessly', () => {
    const text = 'human error; careless; should have known; negligence; blame; fault of; sloppy; didn\'t bother; obviously; Alice forgot to; Bob caused; due to Carl\'s mistake; be more careful; dropped the ball';
    const findings = blamelessReview(text);
    expect(findings.length).toBeGreaterThanOrEqual(14);
    for (const f of findings) {
      expect(f.suggestion.length).toBeGreaterThan(20);
      expect(blamelessReview(f.suggestion)).toEqual([]);
    }
  });

  it('scales to a 100 kB document', () => {
    const paragraph = 'The deploy failed to roll out, the cache failed to warm, and errors were not caught. ';
    const text = paragraph.repeat(1200) + 'It was human error.';
    const started = Date.now();
    expect(phrases(text)).toEqual(['human error']);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
