/** The payload codec: AES-256-GCM with key ids, rotation, tamper detection, and failure messages encoded too. */
import { ApplicationFailure, defaultPayloadConverter, DefaultFailureConverter } from '@temporalio/common';
import { encodeFailure } from '@temporalio/common/lib/internal-non-workflow';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, KEY_ID_METADATA } from '../../adapters/temporal/payload-codec';
import { FAILURE_CONVERTER_PATH } from '../../adapters/temporal/connection';

const key = (id: string) => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('latin1');

describe('AES-256-GCM payload codec', () => {
  const order = { orderNumber: 'PO-4711', customer: { email: 'jane@example.com' }, amountMinor: 4453 };

  it('encrypts the whole payload, names the key, and decodes to the same value', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const plain = defaultPayloadConverter.toPayload(order);
    const [encrypted] = await codec.encode([plain]);
    expect(text(encrypted!.data)).not.toContain('jane@example.com');
    expect(text(encrypted!.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(encrypted!.metadata![KEY_ID_METADATA])).toBe('k1');
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(order);
  });

  it('rotates: the first key encrypts, older keys still decrypt, an unknown key is named', async () => {
    const old = key('2026-01');
    const current = key('2026-06');
    const before = await new AesGcmPayloadCodec([old]).encode([defaultPayloadConverter.toPayload(order)]);
    const rotated = new AesGcmPayloadCodec([current, old]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode(before))[0]!)).toEqual(order);
    const after = await rotated.encode([defaultPayloadConverter.toPayload(order)]);
    expect(text(after[0]!.metadata![KEY_ID_METADATA])).toBe('2026-06');
    await expect(new AesGcmPayloadCodec([old]).decode(after)).rejects.toThrow(/key "2026-06", which is not configured/);
  });

  it('refuses altered data and a relabelled key id', async () => {
    const a = key('a');
    const codec = new AesGcmPayloadCodec([a, { id: 'b', key: a.key }]);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(order)]);
    const altered = Buffer.from(encrypted!.data!);
    altered[20] = altered[20]! ^ 1;
    await expect(codec.decode([{ ...encrypted!, data: altered }])).rejects.toThrow(/does not decrypt/);
    const relabelled = { ...encrypted!, metadata: { ...encrypted!.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/does not decrypt/);
  });

  it('passes payloads that were never encrypted through (histories from before the codec)', async () => {
    const plain = defaultPayloadConverter.toPayload(order);
    expect(await new AesGcmPayloadCodec([key('k')]).decode([plain])).toEqual([plain]);
  });

  it('encrypts failure messages: the failure converter every client and worker loads moves them into a payload', async () => {
    const { failureConverter } = require(FAILURE_CONVERTER_PATH) as { failureConverter: DefaultFailureConverter };
    const failure = failureConverter.errorToFailure(
      ApplicationFailure.create({ message: 'card of jane@example.com declined', type: 'Declined' }),
      defaultPayloadConverter,
    );
    const encoded = await encodeFailure([new AesGcmPayloadCodec([key('k')])], failure);
    expect(encoded.message).toBe('Encoded failure');
    expect(JSON.stringify(encoded)).not.toContain('jane@example.com');
    expect(text(encoded.encodedAttributes!.data)).not.toContain('jane@example.com');
  });
});
