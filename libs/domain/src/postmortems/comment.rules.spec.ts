import type { Actor, Role } from '../identity/roles.policy';
import { canCommentOnPostmortem, canResolvePostmortemComment, POSTMORTEM_DOCUMENT_SECTIONS, validatePostmortemComment } from './comment.rules';

const actor = (role: Role): Actor => ({ id: 'u1', role, teamIds: [] });
const none = { isReviewer: false, isCommander: false };

describe('validatePostmortemComment', () => {
  it('accepts every section of the document with a body', () => {
    for (const section of POSTMORTEM_DOCUMENT_SECTIONS) expect(validatePostmortemComment({ section, body: 'Say which dashboard.' })).toEqual([]);
  });

  it('names the allowed sections when the section is unknown', () => {
    const [error] = validatePostmortemComment({ section: 'appendix', body: 'x' });
    expect(error.field).toBe('section');
    expect(error.reason).toContain('summary, impact, timeline, triggeringCause, contributingFactors, failedSafeguards, hypotheses');
    expect(error.reason).toContain('"appendix"');
  });

  it('needs a body that says something, at most 100 kB', () => {
    expect(validatePostmortemComment({ section: 'summary', body: '' })).toEqual([{ field: 'body', reason: 'must not be blank' }]);
    expect(validatePostmortemComment({ section: 'summary', body: '  \n ' })).toEqual([{ field: 'body', reason: 'must not be blank' }]);
    expect(validatePostmortemComment({ section: 'summary', body: null })).toEqual([{ field: 'body', reason: 'is required' }]);
    expect(validatePostmortemComment({ section: 'summary', body: 'é'.repeat(51_200) })).toEqual([]);
    expect(validatePostmortemComment({ section: 'summary', body: 'é'.repeat(51_201) })[0].field).toBe('body');
  });

  it('reports both problems at once', () => {
    expect(validatePostmortemComment({ section: 'x', body: '' }).map((e) => e.field)).toEqual(['section', 'body']);
  });
});

describe('who comments and resolves', () => {
  it('COMMANDER and above comment on any postmortem; a VIEWER only as a reviewer or the commander', () => {
    expect(canCommentOnPostmortem(actor('COMMANDER'), none)).toBe(true);
    expect(canCommentOnPostmortem(actor('MANAGER'), none)).toBe(true);
    expect(canCommentOnPostmortem(actor('ADMIN'), none)).toBe(true);
    expect(canCommentOnPostmortem(actor('VIEWER'), none)).toBe(false);
    expect(canCommentOnPostmortem(actor('VIEWER'), { isReviewer: true, isCommander: false })).toBe(true);
    expect(canCommentOnPostmortem(actor('VIEWER'), { isReviewer: false, isCommander: true })).toBe(true);
  });

  it('the author resolves their own comment; other VIEWERs do not', () => {
    expect(canResolvePostmortemComment(actor('VIEWER'), { ...none, isAuthor: true })).toBe(true);
    expect(canResolvePostmortemComment(actor('VIEWER'), { ...none, isAuthor: false })).toBe(false);
    expect(canResolvePostmortemComment(actor('VIEWER'), { isReviewer: true, isCommander: false, isAuthor: false })).toBe(true);
    expect(canResolvePostmortemComment(actor('COMMANDER'), { ...none, isAuthor: false })).toBe(true);
  });
});
