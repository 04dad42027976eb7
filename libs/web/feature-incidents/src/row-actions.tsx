import { useEffect, useRef, useState } from 'react';
import type { TypedDocumentNode } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { errorMessage } from '@hindsight/web-data-access';
import { Button } from '@hindsight/web-ui';
import { removeFromCache } from './incident.cache';

/**
 * Edit and Delete for one recorded entry. Deleting asks once more, in place (no modal), so a
 * stray click never removes part of the record; the API's refusal (e.g. an action item still
 * addresses a factor) is shown next to the buttons.
 */
export function RowActions({ what, name, id, typename, deleteMutation, onEdit }: { what: string; name: string; id: string; typename: string; deleteMutation: TypedDocumentNode<unknown, { id: string }>; onEdit: () => void }) {
  // A deleted entry leaves the cache, so every list showing it drops it: no refetch.
  const [remove, { loading: deleting, error }] = useMutation(deleteMutation, { update: (cache) => removeFromCache(cache, typename, id) });
  const onDelete = () => void remove({ variables: { id } }).catch(() => undefined);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const short = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return (
    <span className="hs-row-actions">
      {confirming ? (
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
          <Button variant="secondary" className="hs-button--small" aria-label={`Edit ${what}: ${short}`} onClick={onEdit}>
            Edit
          </Button>{' '}
          <Button variant="secondary" className="hs-button--small" busy={deleting} aria-label={`Delete ${what}: ${short}`} onClick={() => setConfirming(true)}>
            Delete
          </Button>
        </>
      )}
      {error ? (
        <span className="hs-field__error" role="alert">
          {' '}
          {errorMessage(error)}
        </span>
      ) : null}
    </span>
  );
}
