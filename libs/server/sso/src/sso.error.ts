import type { SsoErrorCode } from '@hindsight/domain';

/** A sign-in that ends on the sign-in page with the message for `code` (see SSO_ERRORS). */
export class SsoError extends Error {
  constructor(
    readonly code: SsoErrorCode,
    /** For the server log only: the provider's or the library's own words. */
    readonly detail?: string,
  ) {
    super(`single sign-on refused: ${code}${detail ? ` (${detail})` : ''}`);
    this.name = 'SsoError';
  }
}
