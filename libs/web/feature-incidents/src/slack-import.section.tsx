import { useState, type FormEvent } from 'react';
import type { ApolloCache } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { TIMELINE_EVENT_KINDS } from '@hindsight/domain';
import { errorMessage, type SlackImportProposalFieldsFragment, type TimelineEventKind } from '@hindsight/web-data-access';
import { Alert, Button, type Column, EmptyState, enumOptions, ErrorState, formatDateTime, LoadingState, SelectField, Table, TextAreaField, TextField } from '@hindsight/web-ui';
import { addToIncident } from './incident.cache';
import { SafeLink, Section } from './form-card';
import { formProblems } from './problems';
import { DropSlackImportProposal, ImportSlackChannel, KeepSlackImportProposal, SetIncidentSlackChannel, SlackImport } from './slack-import.operations';

type Proposal = SlackImportProposalFieldsFragment;

/** The proposals' list in the cache loses the one kept or dropped, instead of refetching it. */
function forgetProposal(cache: ApolloCache, incidentId: string, ts: string): void {
  cache.updateQuery({ query: SlackImport, variables: { incidentId } }, (data) => (data ? { ...data, slackImportProposals: data.slackImportProposals.filter((p) => p.ts !== ts) } : data));
}

/**
 * The commander's review of the incident's Slack channel (issue 24, docs/slack.md): name the
 * channel, import its messages, then keep (with the kind and words corrected) or drop each one.
 * The waiting messages are read only when there are some (`waiting`, the incident's cheap
 * existence check) or once an import was made here: opening an incident costs no list.
 */
export function SlackImportSection({ incidentId, slackChannel, waiting }: { incidentId: string; slackChannel: string | null | undefined; waiting: boolean | undefined }) {
  const [opened, setOpened] = useState(false);
  const { data, error, loading, refetch } = useQuery(SlackImport, { variables: { incidentId }, skip: !slackChannel || !(waiting || opened) });
  const [importChannel, imported] = useMutation(ImportSlackChannel, {
    update: (cache, { data: result }) => {
      if (result) cache.writeQuery({ query: SlackImport, variables: { incidentId }, data: { slackImportProposals: result.importSlackChannel } });
    },
    onCompleted: () => setOpened(true),
  });
  const proposals = data?.slackImportProposals ?? [];
  const columns: Column<Proposal>[] = [
    { key: 'occurredAt', header: 'When', render: (p) => <time dateTime={p.occurredAt}>{formatDateTime(p.occurredAt)}</time>, sortValue: (p) => p.occurredAt },
    { key: 'author', header: 'Who', render: (p) => p.author ?? 'someone' },
    { key: 'review', header: 'Message', rowHeader: true, render: (p) => <ProposalForm incidentId={incidentId} proposal={p} /> },
  ];
  return (
    <Section id="slack-import" title="Slack channel">
      <ChannelForm incidentId={incidentId} slackChannel={slackChannel} />
      {slackChannel && (
        <div className="hs-row">
          <Button variant="secondary" busy={imported.loading} onClick={() => void importChannel({ variables: { incidentId } }).catch(() => undefined)}>
            Import from Slack
          </Button>
        </div>
      )}
      {imported.error && <Alert>{errorMessage(imported.error)}</Alert>}
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : loading && !data ? (
        <LoadingState label="Loading imported messages…" />
      ) : proposals.length === 0 ? (
        <EmptyState title="No imported messages waiting.">{slackChannel ? 'Import the channel to review its messages for the timeline.' : "Name the incident's Slack channel to import its messages."}</EmptyState>
      ) : (
        <Table label="Imported Slack messages" columns={columns} rows={proposals} rowKey={(p) => p.ts} initialSort={{ key: 'occurredAt', direction: 'asc' }} testId="slack-import-proposals" />
      )}
    </Section>
  );
}

function ChannelForm({ incidentId, slackChannel }: { incidentId: string; slackChannel: string | null | undefined }) {
  const [channel, setChannel] = useState(slackChannel ?? '');
  const [save, { loading, error }] = useMutation(SetIncidentSlackChannel);
  const { at, general } = formProblems(error, ['channel']);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save({ variables: { incidentId, channel: channel.trim() || null } }).catch(() => undefined);
  };
  return (
    <form className="hs-row" aria-label="Slack channel" onSubmit={onSubmit} noValidate>
      {general && <Alert>{general}</Alert>}
      <TextField label="Channel (its id or a link to it)" value={channel} onChange={(e) => setChannel(e.target.value)} error={at('channel')} placeholder="C0123456789" />
      <Button type="submit" variant="secondary" busy={loading}>
        Save channel
      </Button>
    </form>
  );
}

function ProposalForm({ incidentId, proposal }: { incidentId: string; proposal: Proposal }) {
  const [kind, setKind] = useState<TimelineEventKind>('NOTE');
  const [description, setDescription] = useState(proposal.text);
  const [keep, kept] = useMutation(KeepSlackImportProposal, {
    update: (cache, { data }) => {
      addToIncident(cache, incidentId, 'timeline', data?.keepSlackImportProposal);
      forgetProposal(cache, incidentId, proposal.ts);
    },
  });
  const [drop, dropped] = useMutation(DropSlackImportProposal, { update: (cache, { data }) => data?.dropSlackImportProposal && forgetProposal(cache, incidentId, proposal.ts) });
  const { at, general } = formProblems(kept.error ?? dropped.error, ['kind', 'description']);
  const onKeep = (e: FormEvent) => {
    e.preventDefault();
    // The message's own text is kept unless the commander changed it.
    const edited = description !== proposal.text ? description : null;
    void keep({ variables: { incidentId, ts: proposal.ts, kind, description: edited } }).catch(() => undefined);
  };
  return (
    <form aria-label={`Imported message ${proposal.ts}`} onSubmit={onKeep} noValidate>
      {general && <Alert>{general}</Alert>}
      <TextAreaField label="What happened" value={description} onChange={(e) => setDescription(e.target.value)} error={at('description')} rows={2} />
      <div className="hs-row">
        <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as TimelineEventKind)} options={enumOptions('TimelineEventKind', TIMELINE_EVENT_KINDS)} error={at('kind')} />
        <Button type="submit" busy={kept.loading}>
          Keep
        </Button>
        <Button variant="secondary" busy={dropped.loading} onClick={() => void drop({ variables: { incidentId, ts: proposal.ts } }).catch(() => undefined)}>
          Drop
        </Button>
        <SafeLink href={proposal.permalink}>In Slack</SafeLink>
      </div>
    </form>
  );
}
