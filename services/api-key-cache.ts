/**
 * Verified API keys kept in memory, so a request's key costs no database round trip. An entry is kept only while
 * key changes are announced to this process (db/api-key-changes.ts): a revoked key is dropped as soon as its
 * announcement arrives, and everything is dropped when announcements may have been missed. Entries also expire
 * after `ttlMs`. Unknown keys are never cached: a key made a moment ago works at once.
 */
import type { KeyChangeHandlers } from '../db/api-key-changes';

/** What authentication needs of a stored key. */
export interface StoredKey {
  partnerId: string;
  secretHash: Buffer;
}

export class ApiKeyCache implements KeyChangeHandlers {
  private readonly entries = new Map<string, StoredKey & { expiresAt: number }>();
  /** Moves on every change, so a lookup that raced an announcement is not stored. */
  private generation = 0;
  private isLive = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The stored key: from memory when known, else from `load` (kept if nothing changed meanwhile). */
  async find(id: string, load: (id: string) => Promise<StoredKey | undefined>): Promise<StoredKey | undefined> {
    const hit = this.entries.get(id);
    if (hit) {
      if (hit.expiresAt > this.now()) return hit;
      this.entries.delete(id);
    }
    const generation = this.generation;
    const stored = await load(id);
    if (stored && this.isLive && this.ttlMs > 0 && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(id, {
        partnerId: stored.partnerId,
        secretHash: stored.secretHash,
        expiresAt: this.now() + this.ttlMs,
      });
    }
    return stored;
  }

  /** Keys held now (for tests). */
  get size(): number {
    return this.entries.size;
  }

  changed(keyId: string): void {
    this.generation++;
    if (keyId === '*') this.entries.clear();
    else this.entries.delete(keyId);
  }

  live(): void {
    // Announcements made before the listener was live may have been missed.
    this.generation++;
    this.entries.clear();
    this.isLive = true;
  }

  down(): void {
    this.generation++;
    this.entries.clear();
    this.isLive = false;
  }
}
