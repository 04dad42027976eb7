import { useEffect, useId, useRef, useState } from 'react';
import type { TypedDocumentNode } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { errorMessage } from '@hindsight/web-data-access';
import { Button } from '@hindsight/web-ui';
import { removeFromCache } from './incident.cache';

/**
 * Edit and Delete for one recorded entry, behind one "⋯" button per row (issue 23: not two
 * buttons on every row); Escape folds them again. Deleting asks once more, in place (no modal), so a
 * stray click never removes part of the record; the API's refusal (e.g. an action item still
 * addresses a factor) is shown next to the buttons.
 */
export function RowActions({ what, name, id, typename, deleteMutation, onEdit }: { what: string; name: string; id: string; typename: string; deleteMutation: TypedDocumentNode<unknown, { id: string }>; onEdit: () => void }) {
  // A deleted entry leaves the cache, so every list showing it drops it: no refetch.
  const [remove, { loading: deleting, error }] = useMutation(deleteMutation, { update: (cache) => removeFromCache(cache, typename, id) });
  const onDelete = () => void remove({ variables: { id } }).catch(() => undefined);
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (open) editRef.current?.focus();
  }, [open]);
  const fold = () => {
    setOpen(false);
    setConfirming(false);
    toggleRef.current?.focus();
  };
  const short = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return (
    // Escape anywhere in the open actions folds them: a key handler on the group, not a control.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <span
      className="hs-row-actions"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          fold();
        }
      }}
    >
      <Button ref={toggleRef} variant="secondary" className="hs-button--small hs-row-actions__toggle" aria-expanded={open} aria-controls={panelId} aria-label={`Actions for ${what}: ${short}`} busy={deleting} onClick={() => (open ? fold() : setOpen(true))}>
        <span aria-hidden="true">⋯</span>
      </Button>
      <span id={panelId} hidden={!open} className="hs-row-actions__panel">
        {!open ? null : confirming ? (
          <span role="group" aria-label={`Confirm deleting ${what}: ${short}`}>
            <span className="hs-small">Delete this {what}?</span>{' '}
            <Button
              ref={confirmRef}
              variant="danger"
              className="hs-button--small"
              busy={deleting}
              onClick={() => {
                setConfirming(false);
                onDelete();
              }}
            >
              Delete
            </Button>{' '}
            <Button variant="secondary" className="hs-button--small" onClick={() => setConfirming(false)}>
              Keep
            </Button>
          </span>
        ) : (
          <>
            <Button ref={editRef} variant="secondary" className="hs-button--small" aria-label={`Edit ${what}: ${short}`} onClick={onEdit}>
              Edit
            </Button>{' '}
            <Button variant="secondary" className="hs-button--small" busy={deleting} aria-label={`Delete ${what}: ${short}`} onClick={() => setConfirming(true)}>
              Delete
            </Button>
          </>
        )}
      </span>
      {error ? (
        <span className="hs-field__error" role="alert">
          {' '}
          {errorMessage(error)}
        </span>
      ) : null}
    </span>
  );
}
