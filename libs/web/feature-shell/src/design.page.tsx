import { useState, type ReactNode } from 'react';
import {
  Alert, Badge, Button, ConfirmDialog, Dialog, DueDatePicker, EmptyState, formatDate, formatDateTime, formatDue, formatRelative, labelOf, Menu, OwnerPicker,
  PageHeader, PriorityPicker, SelectField, StatusPicker, Table, Tabs, TextField, useToast, type Column,
} from '@hindsight/web-ui';

/*
 * The design system's parts on one page (/design), with working examples: what docs/design.md
 * shows (its screenshots are taken from here by apps/web-e2e/src/design-gallery.e2e.ts) and
 * where a new part is tried before a page uses it. Nothing here talks to the API.
 */

type Row = { id: string; title: string; priority: 'P0' | 'P1' | 'P2' | 'P3'; status: 'OPEN' | 'IN_PROGRESS' | 'DONE'; owner: string | null; dueAt: string };
const DAY = 86_400_000;
const NOW = Date.now();
const ROWS: Row[] = [
  { id: '1', title: 'Add a canary stage for the card gateway', priority: 'P0', status: 'OPEN', owner: 'Eli Engineer', dueAt: new Date(NOW - 52 * DAY).toISOString() },
  { id: '2', title: 'Alert on EU authorisation failure rate', priority: 'P1', status: 'IN_PROGRESS', owner: null, dueAt: new Date(NOW + 3 * DAY).toISOString() },
  { id: '3', title: 'Document the acquirer fail-over', priority: 'P3', status: 'DONE', owner: 'Maya Manager', dueAt: new Date(NOW - 10 * DAY).toISOString() },
];
const PEOPLE = [
  { value: 'eli', label: 'Eli Engineer' },
  { value: 'maya', label: 'Maya Manager' },
];
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function Part({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="hs-card" aria-labelledby={`part-${id}`} data-part={id}>
      <h2 id={`part-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

export function DesignPage() {
  const toast = useToast();
  const [tab, setTab] = useState('one');
  const [dialog, setDialog] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [status, setStatus] = useState<'OPEN' | 'IN_PROGRESS' | 'BLOCKED' | 'DONE' | 'WONT_DO'>('OPEN');
  const [priority, setPriority] = useState<Row['priority']>('P1');
  const [owner, setOwner] = useState<string | null>(null);
  const [due, setDue] = useState(new Date(NOW + 3 * DAY).toISOString());
  const columns: Column<Row>[] = [
    { key: 'title', header: 'Action item', render: (r) => r.title, sortValue: (r) => r.title },
    { key: 'priority', header: 'Priority', render: (r) => <Badge tone={r.priority === 'P0' ? 'danger' : 'neutral'}>{r.priority}</Badge>, sortValue: (r) => r.priority },
    { key: 'status', header: 'Status', render: (r) => labelOf('ActionStatus', r.status), sortValue: (r) => r.status },
    { key: 'owner', header: 'Owner', render: (r) => r.owner ?? <span className="hs-muted">Unassigned</span>, sortValue: (r) => r.owner },
    { key: 'due', header: 'Due', render: (r) => `${formatDate(r.dueAt)} · ${formatDue(r.dueAt, new Date(), r.status === 'DONE')}`, sortValue: (r) => r.dueAt },
  ];
  return (
    <>
      <PageHeader title="Design system" description="The parts every page is built from (libs/web/ui), with working examples." />
      <div className="hs-stack">
        <Part id="theme" title="Theme: tones and badges">
          <p className="hs-badges">
            <Badge>Neutral</Badge> <Badge tone="info">Info</Badge> <Badge tone="ok">Done</Badge> <Badge tone="warning">Due soon</Badge> <Badge tone="danger">52 days overdue</Badge>
          </p>
          <Alert tone="info">Information: announced politely.</Alert>
          <Alert tone="warning">A warning that needs a look.</Alert>
          <Alert tone="success">Saved.</Alert>
          <Alert>An error, announced at once.</Alert>
        </Part>
        <Part id="buttons" title="Buttons and fields">
          <div className="hs-row">
            <Button>Primary</Button>
            <Button variant="secondary">Secondary</Button>
            <Button variant="danger">Delete</Button>
            <Button busy>Saving</Button>
          </div>
          <div className="hs-row">
            <TextField label="Title" hint="What customers experience" defaultValue="Checkout fails for EU cards" />
            <SelectField label="Severity" options={['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => ({ value: s, label: s }))} defaultValue="SEV2" />
          </div>
        </Part>
        <Part id="table" title="Table">
          <p className="hs-muted">Sortable headers, a sticky header, scrolling inside its own box; each row a card on a phone.</p>
          <Table label="Example action items" columns={columns} rows={ROWS} rowKey={(r) => r.id} initialSort={{ key: 'due', direction: 'asc' }} rowClassName={(r) => (r.id === '1' ? 'hs-row--overdue' : undefined)} />
        </Part>
        <Part id="pickers" title="Property pickers">
          <p className="hs-muted">One click, the value changes at once, a toast offers Undo; a refusal puts the old value back.</p>
          <dl className="hs-dl">
            <dt>Status</dt>
            <dd>
              <StatusPicker value={status} onChange={async (v) => { await wait(150); setStatus(v); }} />
            </dd>
            <dt>Priority</dt>
            <dd>
              <PriorityPicker value={priority} onChange={async (v) => { await wait(150); setPriority(v); }} />
            </dd>
            <dt>Owner</dt>
            <dd>
              <OwnerPicker value={owner} options={PEOPLE} onChange={async (v) => { await wait(150); setOwner(v); }} />
            </dd>
            <dt>Due date</dt>
            <dd>
              <DueDatePicker value={due} onChange={async (v) => { await wait(150); setDue(v); }} />
            </dd>
            <dt>Refused</dt>
            <dd>
              <PriorityPicker label="Priority (refused)" value="P2" onChange={async () => { await wait(150); throw new Error('only the owning team may change it'); }} />
            </dd>
          </dl>
        </Part>
        <Part id="menu" title="Menu and tabs">
          <div className="hs-row">
            <Menu
              label="Actions"
              items={[
                { key: 'copy', label: 'Copy link', onSelect: () => toast('Link copied') },
                { key: 'export', label: 'Export as Markdown', onSelect: () => toast('Exported') },
              ]}
            />
          </div>
          <Tabs
            label="Example tabs"
            selected={tab}
            onSelect={setTab}
            tabs={[
              { id: 'one', label: 'Summary' },
              { id: 'two', label: 'Timeline' },
              { id: 'three', label: 'Action items' },
            ]}
          >
            <p>The {tab === 'one' ? 'summary' : tab === 'two' ? 'timeline' : 'action items'} panel.</p>
          </Tabs>
        </Part>
        <Part id="dialogs" title="Dialog, confirmation and toast">
          <div className="hs-row">
            <Button variant="secondary" onClick={() => setDialog(true)}>
              Open a dialog
            </Button>
            <Button variant="danger" onClick={() => setConfirm(true)}>
              Delete the example…
            </Button>
            <Button variant="secondary" onClick={() => toast('Priority: P1', { action: { label: 'Undo', onAction: () => toast('Undone') } })}>
              Show a toast
            </Button>
          </div>
          <Dialog open={dialog} title="Add an event" onClose={() => setDialog(false)} actions={<Button onClick={() => setDialog(false)}>Done</Button>}>
            <TextField label="What happened" />
          </Dialog>
          <ConfirmDialog
            open={confirm}
            danger
            title="Delete the example?"
            confirmLabel="Delete"
            onCancel={() => setConfirm(false)}
            onConfirm={() => {
              setConfirm(false);
              toast('Deleted');
            }}
          >
            <p>It cannot be brought back.</p>
          </ConfirmDialog>
        </Part>
        <Part id="states" title="Empty state">
          <EmptyState title="No action items match." icon="✓">
            <p>Clear a filter, or add one from an incident.</p>
          </EmptyState>
        </Part>
        <Part id="dates" title="Dates and labels">
          <dl className="hs-dl">
            <dt>Date</dt>
            <dd>{formatDate(new Date(NOW).toISOString())}</dd>
            <dt>Date and time</dt>
            <dd>{formatDateTime(new Date(NOW).toISOString())}</dd>
            <dt>Relative</dt>
            <dd>
              {formatRelative(new Date(NOW + 3 * DAY).toISOString())}; {formatDue(new Date(NOW - 52 * DAY).toISOString())}
            </dd>
            <dt>Enum labels</dt>
            <dd>
              {labelOf('ActionKind', 'DETECT')}, {labelOf('SloDimension', 'AVAILABILITY')}, {labelOf('FactorCategory', 'CONFIG_CHANGE')}
            </dd>
          </dl>
        </Part>
      </div>
    </>
  );
}
