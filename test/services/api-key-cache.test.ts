/** The in-memory key cache on its own: what it keeps, when it must not keep, and what drops entries. */
import { describe, expect, it } from 'vitest';
import { ApiKeyCache, type StoredKey } from '../../services/api-key-cache';

const key = (partnerId: string): StoredKey => ({ partnerId, secretHash: Buffer.from(partnerId) });

function counting(stored: Record<string, StoredKey | undefined>) {
  const calls: string[] = [];
  return {
    calls,
    load: async (id: string) => {
      calls.push(id);
      return stored[id];
    },
  };
}

describe('ApiKeyCache', () => {
  it('keeps nothing until announcements are live, then serves known keys from memory', async () => {
    const cache = new ApiKeyCache(60_000);
    const db = counting({ k1: key('p1') });
    await cache.find('k1', db.load);
    await cache.find('k1', db.load);
    expect(db.calls).toEqual(['k1', 'k1']);
    cache.live();
    await cache.find('k1', db.load);
    expect(await cache.find('k1', db.load)).toMatchObject({ partnerId: 'p1' });
    expect(db.calls).toEqual(['k1', 'k1', 'k1']);
  });

  it('never keeps an unknown key, so a key made a moment later works', async () => {
    const stored: Record<string, StoredKey | undefined> = {};
    const cache = new ApiKeyCache(60_000);
    cache.live();
    const db = counting(stored);
    expect(await cache.find('k2', db.load)).toBeUndefined();
    stored.k2 = key('p2');
    expect(await cache.find('k2', db.load)).toMatchObject({ partnerId: 'p2' });
  });

  it('drops a changed key, everything on "*", and everything when announcements go down or come back', async () => {
    const cache = new ApiKeyCache(60_000);
    const db = counting({ a: key('pa'), b: key('pb') });
    cache.live();
    await cache.find('a', db.load);
    await cache.find('b', db.load);
    expect(cache.size).toBe(2);
    cache.changed('a');
    expect(cache.size).toBe(1);
    cache.changed('*');
    expect(cache.size).toBe(0);
    await cache.find('a', db.load);
    cache.live();
    expect(cache.size).toBe(0);
    await cache.find('a', db.load);
    cache.down();
    expect(cache.size).toBe(0);
    await cache.find('a', db.load);
    expect(cache.size).toBe(0);
  });

  it('does not store a lookup that raced an announcement (the key may have been revoked meanwhile)', async () => {
    const cache = new ApiKeyCache(60_000);
    cache.live();
    let release!: () => void;
    const slowLoad = async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return key('p');
    };
    const lookup = cache.find('k', slowLoad);
    cache.changed('k');
    release();
    await lookup;
    expect(cache.size).toBe(0);
  });

  it('expires entries after the TTL, keeps at most maxEntries, and keeps nothing with a TTL of 0', async () => {
    let now = 1_000;
    const cache = new ApiKeyCache(5_000, 2, () => now);
    cache.live();
    const db = counting({ a: key('pa'), b: key('pb'), c: key('pc') });
    await cache.find('a', db.load);
    now += 4_999;
    await cache.find('a', db.load);
    expect(db.calls).toEqual(['a']);
    now += 1;
    await cache.find('a', db.load);
    expect(db.calls).toEqual(['a', 'a']);
    await cache.find('b', db.load);
    await cache.find('c', db.load);
    expect(cache.size).toBe(2);

    const off = new ApiKeyCache(0);
    off.live();
    await off.find('a', db.load);
    expect(off.size).toBe(0);
  });
});
