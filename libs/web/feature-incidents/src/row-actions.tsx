import { useEffect, useRef, useState } from 'react';
import type { TypedDocumentNode } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { errorMessage } from '@hindsight/web-data-access';
import { Button, Menu } from '@hindsight/web-ui';
import { removeFromCache } from './incident.cache';

/**
 * Edit and Delete for one recorded entry, behind one "⋯" menu per row (the shared Menu: ↑/↓,
 * Escape, focus back on the button), not two buttons on every row. Deleting asks once more, in
 * place (no modal), so a stray click never removes part of the record; the API's refusal (e.g. an
 * action item still addresses a factor) is shown next to the menu.
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
  // The items' names carry the entry ("Edit event: Paged the wrong team"), the screen shows "Edit".
  const itemLabel = (verb: string) => (
    <>
      {verb}
      <span className="hs-visually-hidden">
        {' '}
        {what}: {short}
      </span>
    </>
  );
  return (
    // Escape in the confirmation backs out of it: a key handler on the group, not a control.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <span
      className="hs-row-actions"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && confirming) {
          e.preventDefault();
          setConfirming(false);
        }
      }}
    >
      <Menu
        label={<span aria-hidden="true">⋯</span>}
        ariaLabel={`Actions for ${what}: ${short}`}
        align="end"
        buttonClassName="hs-button hs-button--secondary hs-button--small hs-row-actions__toggle"
        disabled={deleting}
        items={[
          { key: 'edit', label: itemLabel('Edit'), onSelect: onEdit },
          { key: 'delete', label: itemLabel('Delete'), onSelect: () => setConfirming(true) },
        ]}
      />
      {confirming && (
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
