import { ServerError } from '@apollo/client';
import { errorCode, errorMessage } from './api-errors';

const refused = (status: number, body: string) => new ServerError(`Response not successful: Received status code ${status}`, { response: new Response(body, { status }), bodyText: body });

describe('a request the API refused before running it', () => {
  it("shows the API's own words and code (the per-caller budget, a limit)", () => {
    const message = "You have used this minute's query budget. Try again in 6 seconds.";
    const budget = refused(429, JSON.stringify({ data: null, errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 6 } }] }));
    expect(errorMessage(budget)).toBe(message);
    expect(errorCode(budget)).toBe('RATE_LIMITED');
  });

  it('falls back to the general words for a body without GraphQL errors', () => {
    const proxy = refused(502, '<html>Bad gateway</html>');
    expect(errorMessage(proxy)).toMatch(/^The Hindsight server answered with an error/);
    expect(errorCode(proxy)).toBeNull();
  });
});
