import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { appendToList, errorMessage, fieldProblems, useSession, type TeamsPageQuery as TeamsData } from '@hindsight/web-data-access';
import { Alert, Badge, Button, EmptyState, ErrorState, LoadingState, PageHeader, SelectField, TextField } from '@hindsight/web-ui';
import { AddTeamMember, CreateTeam, RemoveTeamMember, TeamsPageQuery, UpdateTeam } from './catalog.operations';

type Team = TeamsData['teams'][number];
type User = TeamsData['users'][number];

export function TeamsPage() {
  const { user } = useSession();
  const admin = user?.role === 'ADMIN';
  const { data, error, refetch } = useQuery(TeamsPageQuery, { fetchPolicy: 'cache-and-network' });
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading teams…" />;
  const activeUsers = data.users.filter((u) => u.active);
  return (
    <>
      <PageHeader title="Teams" description="Teams own services and action items; their managers answer escalations." />
      {data.teams.length === 0 ? (
        <EmptyState title="No teams yet." />
      ) : (
        <div className="hs-grid-2">
          {data.teams.map((team) => (
            <TeamCard key={team.id} team={team} admin={admin} users={activeUsers} />
          ))}
        </div>
      )}
      {admin && <CreateTeamForm users={activeUsers} />}
    </>
  );
}

function TeamCard({ team, admin, users }: { team: Team; admin: boolean; users: User[] }) {
  const [userId, setUserId] = useState('');
  const [add, { loading, error }] = useMutation(AddTeamMember);
  const candidates = users.filter((u) => !team.members.some((m) => m.id === u.id));
  const headingId = `team-${team.id}`;
  return (
    <section className="hs-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{team.name}</h2>
      <dl className="hs-dl">
        <dt>Manager</dt>
        <dd>{team.manager?.name ?? <span className="hs-muted">none — escalations go to team channels only</span>}</dd>
        <dt>Services</dt>
        <dd>{team.services.length ? team.services.map((s) => s.name).join(', ') : <span className="hs-muted">none</span>}</dd>
      </dl>
      <h3>Members</h3>
      {team.members.length === 0 ? (
        <p className="hs-muted">No members yet.</p>
      ) : (
        <ul>
          {team.members.map((m) => (
            <li key={m.id}>
              {m.name} {!m.active && <Badge title="Signed out and chased no more; their open items went to the manager. Reactivate in Settings.">deactivated</Badge>} {admin && <RemoveMember team={team} member={m} />}
            </li>
          ))}
        </ul>
      )}
      {admin && candidates.length > 0 && (
        <form
          className="hs-row"
          aria-label={`Add a member to ${team.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (userId) void add({ variables: { teamId: team.id, userId } }).then(() => setUserId(''), () => undefined);
          }}
        >
          {error && <Alert>{errorMessage(error)}</Alert>}
          <SelectField label="Add member" value={userId} placeholder="Choose a person" onChange={(e) => setUserId(e.target.value)} options={candidates.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))} />
          <Button type="submit" variant="secondary" busy={loading} disabled={!userId}>
            Add
          </Button>
        </form>
      )}
      {admin && <EditTeamForm team={team} users={users} />}
    </section>
  );
}

/** Remove after a confirmation: the member's open items of the team go back to the team and its manager. */
function RemoveMember({ team, member }: { team: Team; member: Team['members'][number] }) {
  const [confirming, setConfirming] = useState(false);
  const [remove, { loading, error }] = useMutation(RemoveTeamMember);
  if (!confirming) {
    return (
      <Button variant="secondary" onClick={() => setConfirming(true)}>
        Remove {member.name}
      </Button>
    );
  }
  return (
    <span className="hs-row">
      <span role="status">
        Remove {member.name} from {team.name}? Their open items of this team become unassigned and go to the manager.
      </span>
      <Button busy={loading} onClick={() => void remove({ variables: { teamId: team.id, userId: member.id } }).catch(() => undefined)}>
        Yes, remove {member.name}
      </Button>
      <Button variant="secondary" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      {error && <Alert>{errorMessage(error)}</Alert>}
    </span>
  );
}

function EditTeamForm({ team, users }: { team: Team; users: User[] }) {
  const [name, setName] = useState(team.name);
  const [managerId, setManagerId] = useState(team.manager?.id ?? '');
  const [update, { loading, error, data }] = useMutation(UpdateTeam);
  const at = (f: string) => fieldProblems(error).find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void update({ variables: { id: team.id, name, managerId: managerId || null } }).catch(() => undefined);
  };
  return (
    <form aria-label={`Edit ${team.name}`} onSubmit={onSubmit} noValidate>
      {error && fieldProblems(error).length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">Team saved.</Alert>}
      <div className="hs-row">
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={at('name')} required />
        <SelectField label="Manager" value={managerId} placeholder="No manager" onChange={(e) => setManagerId(e.target.value)} options={users.map((u) => ({ value: u.id, label: u.name }))} error={at('managerId')} />
      </div>
      <Button type="submit" variant="secondary" busy={loading}>
        Save team
      </Button>
    </form>
  );
}

function CreateTeamForm({ users }: { users: User[] }) {
  const [name, setName] = useState('');
  const [managerId, setManagerId] = useState('');
  const [create, { loading, error, data }] = useMutation(CreateTeam, { update: (cache, { data: created }) => appendToList(cache, 'ROOT_QUERY', 'teams', created?.createTeam) });
  const at = (f: string) => fieldProblems(error).find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create({ variables: { input: { name, managerId: managerId || null } } }).then(() => setName(''), () => undefined);
  };
  return (
    <form className="hs-card" aria-labelledby="new-team" onSubmit={onSubmit} noValidate style={{ marginTop: 16 }}>
      <h2 id="new-team">Create a team</h2>
      {error && fieldProblems(error).length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">Team created.</Alert>}
      <div className="hs-row">
        <TextField label="Team name" value={name} onChange={(e) => setName(e.target.value)} error={at('name')} required />
        <SelectField label="Manager" value={managerId} placeholder="No manager yet" onChange={(e) => setManagerId(e.target.value)} options={users.map((u) => ({ value: u.id, label: u.name }))} error={at('managerId')} />
      </div>
      <Button type="submit" busy={loading}>
        Create team
      </Button>
    </form>
  );
}
