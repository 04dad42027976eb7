import type { ApiHarness } from './api-harness';

/**
 * The forked side of an API process: tells the parent its URL and database over IPC, hands
 * other messages to `onMessage`, and closes the API and exits on 'close' or when the parent
 * goes (once, whichever comes first).
 */
export function serveParent(api: ApiHarness, onMessage: (message: unknown) => void = () => undefined): void {
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await api.close();
    process.exit(0);
  };
  process.on('message', (m) => (m === 'close' ? void close() : onMessage(m)));
  process.on('disconnect', () => void close());
  process.send?.({ url: api.url, dbUrl: api.db.url });
}
