export type WritePreviewMode = 'write' | 'preview';

/**
 * The Write / Preview switch over a Markdown field (a postmortem section, a runbook section):
 * two pressed-state buttons, not tabs, since the text stays one field that is shown or rendered.
 */
export function WritePreviewSwitch({ label, mode, onChange }: { label: string; mode: WritePreviewMode; onChange: (mode: WritePreviewMode) => void }) {
  return (
    <div className="hs-tabs" role="group" aria-label={`${label}: write or preview`}>
      <button type="button" aria-pressed={mode === 'write'} onClick={() => onChange('write')}>
        Write
      </button>
      <button type="button" aria-pressed={mode === 'preview'} onClick={() => onChange('preview')}>
        Preview
      </button>
    </div>
  );
}
