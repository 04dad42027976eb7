import { createHmac } from 'node:crypto';
import { verifyTrackerWebhook, webhookDeliveryId } from './webhook-signature.rule';

const body = Buffer.from('{"action":"closed"}');
const secret = 'webhook-secret-123';
const hmac = (b: Buffer, s = secret) => createHmac('sha256', s).update(b).digest('hex');

describe('verifyTrackerWebhook', () => {
  it('checks GitHub X-Hub-Signature-256', () => {
    expect(verifyTrackerWebhook('GITHUB', { 'x-hub-signature-256': `sha256=${hmac(body)}` }, body, secret)).toBe(true);
    expect(verifyTrackerWebhook('GITHUB', { 'x-hub-signature-256': `sha256=${hmac(body, 'other')}` }, body, secret)).toBe(false);
    expect(verifyTrackerWebhook('GITHUB', { 'x-hub-signature-256': `sha256=${hmac(body)}` }, Buffer.from('{"action":"reopened"}'), secret)).toBe(false);
    expect(verifyTrackerWebhook('GITHUB', {}, body, secret)).toBe(false);
  });
  it('checks GitLab X-Gitlab-Token', () => {
    expect(verifyTrackerWebhook('GITLAB', { 'x-gitlab-token': secret }, body, secret)).toBe(true);
    expect(verifyTrackerWebhook('GITLAB', { 'x-gitlab-token': 'guess' }, body, secret)).toBe(false);
  });
  it('checks Jira X-Hub-Signature', () => {
    expect(verifyTrackerWebhook('JIRA', { 'x-hub-signature': `sha256=${hmac(body)}` }, body, secret)).toBe(true);
    expect(verifyTrackerWebhook('JIRA', { 'x-hub-signature-256': `sha256=${hmac(body)}` }, body, secret)).toBe(false);
  });
  it('checks Linear-Signature (hex HMAC, no prefix)', () => {
    expect(verifyTrackerWebhook('LINEAR', { 'linear-signature': hmac(body) }, body, secret)).toBe(true);
    expect(verifyTrackerWebhook('LINEAR', { 'linear-signature': `sha256=${hmac(body)}` }, body, secret)).toBe(false);
  });
  it('accepts nothing without a secret', () => {
    expect(verifyTrackerWebhook('GITLAB', { 'x-gitlab-token': '' }, body, null)).toBe(false);
  });
});

describe('webhookDeliveryId', () => {
  it('uses the tracker delivery header, else the body hash', () => {
    expect(webhookDeliveryId('GITHUB', { 'x-github-delivery': 'abc' }, body)).toBe('GITHUB:abc');
    expect(webhookDeliveryId('GITLAB', { 'x-gitlab-event-uuid': 'u1' }, body)).toBe('GITLAB:u1');
    expect(webhookDeliveryId('JIRA', { 'x-atlassian-webhook-identifier': '9' }, body)).toBe('JIRA:9');
    expect(webhookDeliveryId('JIRA', {}, body)).toBe(webhookDeliveryId('JIRA', {}, Buffer.from(body)));
  });
});
