import { teamsCard } from '@hindsight/domain';
import { adaptiveCardProblems } from './adaptive-card.check';

/* The checker the Teams specs rely on must fail what Teams would not take. */
describe('adaptiveCardProblems', () => {
  const card = teamsCard({ subject: '[Hindsight] Due soon', text: 'Hello,\n\nThe item is due.' }, 'https://h.example/x', [{ kind: 'OPEN', label: 'Open in Hindsight', url: 'https://h.example/x?delivery=1' }]);

  it('passes a card as Hindsight renders it', () => {
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it.each([
    ['another version', { ...card, version: '1.6' }, /schema: \/version must be equal to constant/],
    ['a button without a URL', { ...card, actions: [{ type: 'Action.OpenUrl', title: 'Open' }] }, /schema: \/actions\/0 must have required property 'url'/],
    ['a javascript: link', { ...card, actions: [{ type: 'Action.OpenUrl', title: 'Open', url: 'javascript:alert(1)' }] }, /schema: \/actions\/0\/url must match pattern/],
    ['an undocumented property', { ...card, body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'x', bold: true }] }] }, /must NOT have additional properties .*"bold"/],
    ['an element it does not know', { ...card, body: [{ type: 'Carousel', pages: [] }] }, /schema: \/body\/0\/type must be equal to one of the allowed values[\s\S]*adaptivecards: Unknown element type "Carousel"/],
    ['a wrong enum value', { ...card, body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'x', weight: 'Heavy' }] }] }, /weight must be equal to one of the allowed values/],
  ])('fails %s', (_, bad, why) => {
    expect(adaptiveCardProblems(bad).join('\n')).toMatch(why);
  });
});
