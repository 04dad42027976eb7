import { useCallback, useEffect, useRef, useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { errorCode, errorMessage, fieldProblems, type PostmortemContentFragment } from '@hindsight/web-data-access';
import { PostmortemEditorData, UpdatePostmortem } from './postmortem.operations';
import { changedFields, textsOf, threeWay, type ConflictEntry, type PmField, type PmTexts } from './postmortem.sections';

const DEBOUNCE_MS = 1200;
// Per person as well as per incident: on a shared browser, one writer's text is never offered to another.
const storageKey = (userId: string, incidentId: string) => `hindsight.postmortem-draft.${userId}.${incidentId}`;

/** Unsaved text kept in this browser, with the version it was based on, for the next visit. */
interface StoredDraft {
  version: number;
  base: PmTexts;
  draft: PmTexts;
}

function readStored(key: string): StoredDraft | null {
  try {
    const raw = window.localStorage.getItem(key);
    const stored = raw ? (JSON.parse(raw) as StoredDraft) : null;
    return stored && changedFields(stored.base, stored.draft).length > 0 ? stored : null;
  } catch {
    return null;
  }
}

export type SaveState =
  | { kind: 'saved'; version: number }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'conflict'; version: number; conflicts: ConflictEntry[] }
  | { kind: 'failed'; message: string; fields: { field: string; message: string }[] };

/**
 * The postmortem draft with debounced autosave under optimistic concurrency. The draft is
 * the writer's text and is never replaced by the server's: a save sends only the sections
 * that differ from the last saved version, with that version as expectedVersion. A CONFLICT
 * triggers a three-way merge; sections both sides changed wait for the writer's decision
 * (autosave pauses meanwhile), and the rest merge on their own.
 */
export function usePostmortemDraft(userId: string, incidentId: string, reference: string, initial: PostmortemContentFragment) {
  const key = storageKey(userId, incidentId);
  const client = useApolloClient();
  const [draft, setDraft] = useState<PmTexts>(() => textsOf(initial));
  const [state, setState] = useState<SaveState>({ kind: 'saved', version: initial.version });
  // What the server held at `version` as far as this editor knows: the merge base.
  const base = useRef<{ texts: PmTexts; version: number }>({ texts: textsOf(initial), version: initial.version });
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const inFlight = useRef(false);
  const [update] = useMutation(UpdatePostmortem);
  // Text typed but not saved before the tab closed or crashed; offered back, never applied silently.
  const [recovered, setRecovered] = useState<StoredDraft | null>(() => readStored(key));

  const save = useCallback(async () => {
    if (inFlight.current) return;
    const sent = { ...draftRef.current };
    const fields = changedFields(base.current.texts, sent);
    if (fields.length === 0) {
      setState({ kind: 'saved', version: base.current.version });
      return;
    }
    inFlight.current = true;
    setState({ kind: 'saving' });
    try {
      const input = Object.fromEntries(fields.map((f) => [f, sent[f]]));
      const result = await update({ variables: { incidentId, expectedVersion: base.current.version, input } });
      const saved = result.data?.updatePostmortem;
      if (!saved) throw new Error('The server did not return the saved postmortem.');
      base.current = { texts: { ...base.current.texts, ...Object.fromEntries(fields.map((f) => [f, saved[f] ?? ''])) }, version: saved.version };
      // More typed while saving: the effect below schedules the next save.
      setState(changedFields(base.current.texts, draftRef.current).length ? { kind: 'pending' } : { kind: 'saved', version: saved.version });
    } catch (error) {
      if (errorCode(error) === 'CONFLICT') {
        const latest = await client
          .query({ query: PostmortemEditorData, variables: { reference }, fetchPolicy: 'network-only' })
          .then((r) => r.data?.incident?.postmortem ?? null)
          .catch(() => null);
        if (!latest) {
          setState({ kind: 'failed', message: 'Someone else saved a newer version and it could not be loaded. Your text is kept here; try again.', fields: [] });
        } else {
          const theirs = textsOf(latest);
          const { merged, conflicts } = threeWay(base.current.texts, draftRef.current, theirs);
          base.current = { texts: theirs, version: latest.version };
          setDraft(merged);
          setState(conflicts.length ? { kind: 'conflict', version: latest.version, conflicts } : { kind: 'pending' });
        }
      } else {
        setState({ kind: 'failed', message: errorMessage(error), fields: fieldProblems(error) });
      }
    } finally {
      inFlight.current = false;
    }
  }, [client, incidentId, reference, update]);

  const dirty = changedFields(base.current.texts, draft).length > 0;
  const paused = state.kind === 'conflict' || state.kind === 'saving' || state.kind === 'failed';
  useEffect(() => {
    if (!dirty || paused) return undefined;
    const timer = window.setTimeout(() => void save(), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [draft, dirty, paused, save]);

  useEffect(() => {
    if (recovered) return;
    try {
      if (dirty) window.localStorage.setItem(key, JSON.stringify({ version: base.current.version, base: base.current.texts, draft }));
      else window.localStorage.removeItem(key);
    } catch {
      // Storage full or disabled: autosave to the server still runs.
    }
  }, [draft, dirty, key, recovered]);

  /** Brings back the unsaved text on top of the version it was typed against; a conflict then merges as usual. */
  const restore = useCallback(() => {
    if (!recovered) return;
    base.current = { texts: recovered.base, version: recovered.version };
    draftRef.current = recovered.draft;
    setDraft(recovered.draft);
    setRecovered(null);
    setState({ kind: 'pending' });
  }, [recovered]);
  const discard = useCallback(() => {
    window.localStorage.removeItem(key);
    setRecovered(null);
  }, [key]);

  // Leaving with unsaved text asks first: typed text is never silently lost.
  useEffect(() => {
    if (!dirty && state.kind !== 'saving') return undefined;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, state.kind]);

  const edit = useCallback(
    (field: PmField, value: string) => {
      setDraft((d) => ({ ...d, [field]: value }));
      setState((s) => (s.kind === 'conflict' ? s : { kind: 'pending' }));
    },
    [],
  );

  /** The writer's resolution of the conflicting sections; saved at once against the new version. */
  const resolve = useCallback(
    (resolved: Partial<PmTexts>) => {
      const next = { ...draftRef.current, ...resolved };
      draftRef.current = next;
      setDraft(next);
      setState({ kind: 'pending' });
      void save();
    },
    [save],
  );

  // Typing back to the saved text, or a merge that equals it, leaves nothing to save.
  const shown: SaveState = state.kind === 'pending' && !dirty ? { kind: 'saved', version: base.current.version } : state;
  return { draft, state: shown, dirty, edit, resolve, saveNow: save, recovered: recovered !== null, restore, discard };
}
