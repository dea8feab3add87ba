/**
 * The payload codec: every payload (workflow and activity inputs and results, queries, signals, memos, failure
 * messages) leaves the process AES-256-GCM encrypted, so Temporal's database and histories hold no partner data.
 * The whole payload (its metadata and data) is encrypted; the outer payload names the key that did it, so keys can
 * be rotated: the first key encrypts, every configured key decrypts.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { PayloadKey } from '../../config';

/** `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata entry naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Raised when a payload cannot be decrypted: unknown key id, or data altered or truncated. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/** IVs per block of random bytes: one call into the system's random source per this many payloads, not one each. */
const IVS_PER_BLOCK = 256;

/** AES-256-GCM codec with key ids. */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: PayloadKey;

  private ivBlock = Buffer.alloc(0);
  private ivAt = 0;

  constructor(keys: PayloadKey[]) {
    if (keys.length === 0) throw new Error('the payload codec needs at least one key');
    this.current = keys[0]!;
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = this.nextIv();
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      // The key id is authenticated too: a payload relabelled with another id does not decrypt.
      cipher.setAAD(utf8.encode(this.current.id));
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(this.current.id) },
        data,
      };
    });
  }

  /** A fresh random IV (every byte of a block is used once). */
  private nextIv(): Buffer {
    if (this.ivAt + IV_BYTES > this.ivBlock.length) {
      this.ivBlock = randomBytes(IV_BYTES * IVS_PER_BLOCK);
      this.ivAt = 0;
    }
    const iv = this.ivBlock.subarray(this.ivAt, this.ivAt + IV_BYTES);
    this.ivAt += IV_BYTES;
    return iv;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || fromUtf8.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      const id = idBytes ? fromUtf8.decode(idBytes) : '';
      const key = this.keys.get(id);
      if (!key) {
        throw new PayloadDecryptionError(
          `payload encrypted with key "${id}", which is not configured: add it to PAYLOAD_KEYS (after the current key)`,
        );
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(utf8.encode(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch (err) {
        throw new PayloadDecryptionError(`payload encrypted with key "${id}" does not decrypt (altered?)`, {
          cause: err,
        });
      }
      const decoded = temporal.api.common.v1.Payload.decode(plain);
      return { metadata: decoded.metadata, data: decoded.data };
    });
  }
}
