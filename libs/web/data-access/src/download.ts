import { useState } from 'react';
import { tokenStore } from './token.store';

/**
 * A Markdown export (a postmortem's, a runbook's) needs the Bearer token, which a plain link
 * cannot send: `download` fetches the file with it and hands it to the browser as `filename`.
 * A failure is kept in `error` in words the person can act on.
 */
export function useSignedDownload(): { busy: boolean; error: string | null; download: (path: string, filename: string) => Promise<void> } {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async (path: string, filename: string) => {
    setError(null);
    setBusy(true);
    try {
      const res = await fetch(path, { headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` } });
      if (!res.ok) throw new Error(res.status === 401 ? 'Your session has ended; sign in again.' : `The export failed (HTTP ${res.status}).`);
      const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/markdown;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      // Revoked later, not at once: the browser may still be reading the blob for the download.
      window.setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The export failed.');
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, download };
}
