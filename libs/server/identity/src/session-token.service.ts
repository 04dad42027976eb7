import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';

const ISSUER = 'hindsight';
const API_TOKEN_PREFIX = 'hst_';

/** Signed sign-in tokens (HS256 JWT) and opaque API tokens (only their hash is stored). */
@Injectable()
export class SessionTokenService {
  private readonly key: Uint8Array;

  constructor(@Inject(CONFIG) config: ResolvedConfig) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  /**
   * A sign-in token for the session row `sessionId` (claim `sid`), which must stay live for the
   * token to work; it expires with the session's absolute lifetime at sign-in.
   */
  sign(userId: string, sessionId: string, ttlSeconds: number): Promise<string> {
    return new SignJWT({ sid: sessionId }).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuer(ISSUER).setIssuedAt().setExpirationTime(`${ttlSeconds}s`).sign(this.key);
  }

  /** The user and session of a valid, unexpired token; null otherwise (also for tokens without a session). */
  async verify(token: string): Promise<{ userId: string; sessionId: string } | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      return typeof payload.sub === 'string' && typeof payload['sid'] === 'string' ? { userId: payload.sub, sessionId: payload['sid'] } : null;
    } catch {
      return null;
    }
  }

  static isApiToken(token: string): boolean {
    return token.startsWith(API_TOKEN_PREFIX);
  }

  static newApiToken(): { token: string; prefix: string; hash: string } {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return { token, prefix: token.slice(0, 10), hash: SessionTokenService.hashApiToken(token) };
  }

  static hashApiToken(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
