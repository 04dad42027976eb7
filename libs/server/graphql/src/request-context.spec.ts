import { LoaderRegistry, preload, settled } from './request-context';

/** A batch function that records each batch it is asked for and answers after `ms`. */
function recording<V>(answer: (key: string) => V, ms = 5) {
  const batches: string[][] = [];
  const load = async (keys: readonly string[]): Promise<V[]> => {
    batches.push([...keys]);
    await new Promise((r) => setTimeout(r, ms));
    return keys.map(answer);
  };
  return { batches, load };
}

describe('LoaderRegistry', () => {
  it('returns one loader per key for the request', () => {
    const registry = new LoaderRegistry();
    const { load } = recording((k) => k);
    expect(registry.batch('a', load)).toBe(registry.batch('a', load));
    expect(registry.batch('a', load)).not.toBe(new LoaderRegistry().batch('a', load));
  });

  it('an afterOthers loader asks once for what fields at several depths need, after the batches that name them', async () => {
    const registry = new LoaderRegistry();
    const people = recording((id) => ({ id, name: `Person ${id}` }));
    const timeline = recording((incident) => [`${incident}-author-1`, `${incident}-author-2`], 10);
    const items = recording((incident) => [`${incident}-assignee`], 20);
    const users = () => registry.batch('users', people.load, { afterOthers: true });

    // As GraphQL resolves an incident page: the commander at depth 1, then authors and
    // assignees once their rows arrive.
    const commander = users().load('commander');
    const authors = registry.batch('timeline', timeline.load).load('inc').then((ids) => Promise.all(ids.map((id) => users().load(id))));
    const assignees = registry.batch('items', items.load).load('inc').then((ids) => Promise.all(ids.map((id) => users().load(id))));

    expect((await commander).name).toBe('Person commander');
    expect((await authors).map((u) => u.id)).toEqual(['inc-author-1', 'inc-author-2']);
    expect((await assignees).map((u) => u.id)).toEqual(['inc-assignee']);
    expect(people.batches).toEqual([['commander', 'inc-author-1', 'inc-author-2', 'inc-assignee']]);
  });

  it('an afterOthers loader goes at once when nothing else is in flight, and after a failed batch too', async () => {
    const registry = new LoaderRegistry();
    const people = recording((id) => id);
    expect(await registry.batch('users', people.load, { afterOthers: true }).load('x')).toBe('x');

    const failing = registry.batch<string, string>('broken', async () => {
      throw new Error('database away');
    });
    const after = failing.load('k').catch(() => registry.batch('users', people.load, { afterOthers: true }).load('y'));
    await expect(after).resolves.toBe('y');
    expect(people.batches).toEqual([['x'], ['y']]);
  });

  it('ordinary loaders are not held back by one another', async () => {
    const registry = new LoaderRegistry();
    const slow = recording((k) => k, 50);
    const quick = recording((k) => k, 1);
    const finished: string[] = [];
    await Promise.all([
      registry.batch('slow', slow.load).load('s').then(() => finished.push('slow')),
      registry.batch('quick', quick.load).load('q').then(() => finished.push('quick')),
    ]);
    expect(finished).toEqual(['quick', 'slow']);
  });
});

describe('preload and settled', () => {
  it('a list preloads its rows\' references in one batch; each row then finds its value at once, without a look-up', async () => {
    const registry = new LoaderRegistry();
    const people = recording((id) => ({ id, name: `Person ${id}` }));
    const users = () => registry.batch('users', people.load, { afterOthers: true });
    const events = [{ authorId: 'a' }, { authorId: 'b' }, { authorId: 'a' }, { authorId: null }];

    expect(settled(users(), 'a')).toBeUndefined(); // nothing asked yet: the field would load it
    const commander = users().load('c');
    await preload(users(), events, (e) => e.authorId);

    expect(people.batches).toEqual([['c', 'a', 'b']]); // the commander's batch, not one more
    expect(events.map((e) => (e.authorId ? settled(users(), e.authorId)?.name : null))).toEqual(['Person a', 'Person b', 'Person a', null]);
    expect(settled(users(), 'c')).toBe(await commander);
    expect(settled(users(), 'never-asked')).toBeUndefined();
  });

  it('a key the batch failed for throws from settled, as its own look-up would have rejected', async () => {
    const registry = new LoaderRegistry();
    const loader = registry.batch('flaky', async (keys: readonly string[]) => keys.map((k) => (k === 'bad' ? new Error(`no ${k}`) : k)));
    await preload(loader, ['good', 'bad'], (k) => k);
    expect(settled(loader, 'good')).toBe('good');
    expect(() => settled(loader, 'bad')).toThrow('no bad');
  });

  it('an empty list asks for nothing', async () => {
    const registry = new LoaderRegistry();
    const people = recording((id) => id);
    await preload(registry.batch('users', people.load), [] as { id: string }[], (r) => r.id);
    await preload(registry.batch('users', people.load), [{ id: null }], (r) => r.id);
    expect(people.batches).toEqual([]);
  });

  it('answers are per request: another request\'s loader knows nothing', async () => {
    const first = new LoaderRegistry();
    const people = recording((id) => id);
    await preload(first.batch('users', people.load), ['a'], (k) => k);
    expect(settled(first.batch('users', people.load), 'a')).toBe('a');
    expect(settled(new LoaderRegistry().batch('users', people.load), 'a')).toBeUndefined();
  });
  it('a cleared or primed key is not answered from an earlier batch: the field loads it, and gets what load gives', async () => {
    const registry = new LoaderRegistry();
    let version = 1;
    const people = recording((id) => `${id} v${version}`);
    const users = registry.batch('users', people.load);
    await preload(users, ['a', 'b', 'c'], (k) => k);
    expect(settled(users, 'a')).toBe('a v1');

    version = 2;
    users.clear('a');
    expect(settled(users, 'a')).toBeUndefined();
    expect(await users.load('a')).toBe('a v2');
    expect(settled(users, 'a')).toBe('a v2');

    users.prime('d', 'd primed');
    expect(settled(users, 'd')).toBeUndefined(); // only load knows a primed value
    expect(await users.load('d')).toBe('d primed');
    users.clear('b').prime('b', 'b primed');
    expect(settled(users, 'b')).toBeUndefined();
    expect(await users.load('b')).toBe('b primed');

    users.clearAll();
    expect(settled(users, 'c')).toBeUndefined();
    expect(await users.load('c')).toBe('c v2');
    expect(people.batches).toEqual([['a', 'b', 'c'], ['a'], ['c']]);
  });
});
