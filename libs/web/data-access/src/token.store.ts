const KEY = 'hindsight.token';
const cleared = new Set<() => void>();

/**
 * The session token, kept across reloads of this browser tab's origin. Whoever ends the session
 * (signing out, a request refused as expired, another tab signing out) clears it here, and the
 * session provider hears of it: one way out, whichever way the session ended.
 */
export const tokenStore = {
  get(): string | null {
    try {
      return window.localStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    window.localStorage.setItem(KEY, token);
  },
  clear(): void {
    window.localStorage.removeItem(KEY);
    for (const listener of cleared) listener();
  },
  /** Calls `listener` whenever the token is cleared, here or in another tab; returns the unsubscribe. */
  onCleared(listener: () => void): () => void {
    cleared.add(listener);
    const fromOtherTab = (e: StorageEvent) => {
      if (e.key === KEY && e.newValue === null) listener();
    };
    window.addEventListener('storage', fromOtherTab);
    return () => {
      cleared.delete(listener);
      window.removeEventListener('storage', fromOtherTab);
    };
  },
};
