/**
 * A partner's billing details: what their schema refuses (with the field and a readable reason), and the admin CLI
 * that sets them (`partner create` with billing flags, `partner billing`), in-process and as the process operators run.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { UsageError } from '../../cli/args';
import { billingFromFlags, partnerCommand } from '../../cli/commands/partner';
import type { PartnerBilling } from '../../contracts/partner-billing';
import { getPartnerBilling } from '../../db/partners';
import { createPool } from '../../db/pool';
import { checkPartnerBilling, invoiceCustomer } from '../../domain/partner-billing';
import { createPartner, InvalidBillingError, updatePartnerBilling } from '../../services/partners';
import { TEST_PAYLOAD_KEYS, TEST_WEBHOOK_SECRET_KEY } from '../support/config';
import { ACME_BILLING, ACME_BILLING_FLAGS } from '../support/fixtures';

const full = ACME_BILLING;

const problems = (value: unknown) => checkPartnerBilling(value).map((p) => `${p.pointer}: ${p.message}`);

describe('billing details', () => {
  it('takes every detail, or none, or any one of them', () => {
    expect(checkPartnerBilling(full)).toEqual([]);
    expect(checkPartnerBilling({})).toEqual([]);
    expect(checkPartnerBilling({ vatId: 'CHE-123.456.789 MWST' })).toEqual([]);
    expect(checkPartnerBilling({ endpoint: { scheme: 'EM', id: 'invoices@acme.example' } })).toEqual([]);
    expect(
      checkPartnerBilling({ address: { street: 'Rue 1', city: 'Paris', postalCode: '75001', country: 'FR' } }),
    ).toEqual([]);
  });

  it('refuses a VAT id without its country prefix, a partial address and unknown schemes, naming each field', () => {
    expect(problems({ vatId: '123456789B01' })).toEqual([
      '/vatId: must start with its two-letter country prefix (BR-CO-09; EL for Greece) followed by letters and digits',
    ]);
    expect(problems({ vatId: 'nl123456789' })).toHaveLength(1);
    expect(problems({ address: { street: 'Keizersgracht 1', country: 'NL' } })).toEqual([
      '/address/city: is required in an address (BR-10, BR-11)',
      '/address/postalCode: is required in an address (BR-10, BR-11)',
    ]);
    expect(problems({ address: { ...full.address!, country: 'nl' } })).toEqual([
      '/address/country: must be an ISO 3166-1 alpha-2 country code in capitals, e.g. NL (GR for Greece)',
    ]);
    // The code lists the readers of our invoice check (BR-CL-14, BR-CO-09), not only the form.
    for (const country of ['XX', 'EL', 'UK'])
      expect(problems({ address: { ...full.address!, country } }), country).toEqual([
        '/address/country: must be an ISO 3166-1 alpha-2 country code in capitals, e.g. NL (GR for Greece)',
      ]);
    expect(problems({ address: { ...full.address!, country: 'XI' } })).toEqual([]);
    expect(problems({ vatId: 'XX123456789' })).toEqual([
      expect.stringMatching(/^\/vatId: must start with its two-letter/),
    ]);
    expect(problems({ vatId: 'EL123456789' })).toEqual([]);
    expect(problems({ address: { ...full.address!, country: 'NLD' } })).toHaveLength(1);
    expect(problems({ endpoint: { scheme: '88', id: '123' } })).toEqual([
      '/endpoint/scheme: must be an ISO 6523 ICD of 4 digits (e.g. 0088, 0106, 0208) or a Peppol EAS code (AN, AQ, AS, AU, EM)',
    ]);
    // Four digits, but no electronic address scheme: 0003 is an ICD, not in EAS; 0106 and 9930 are (BR-CL-25).
    expect(problems({ endpoint: { scheme: '0003', id: '123' } })).toEqual([
      expect.stringMatching(/^\/endpoint\/scheme: is not a scheme of the EAS list/),
    ]);
    expect(problems({ endpoint: { scheme: '9930', id: 'DE123456789' } })).toEqual([]);
    // A GLN with a wrong check digit would make our invoice one Peppol refuses (PEPPOL-COMMON-R040).
    expect(problems({ endpoint: { scheme: '0088', id: '4050000000017' } })).toEqual([
      '/endpoint/id: must be a GLN (scheme 0088) of digits with a valid GS1 check digit (PEPPOL-COMMON-R040)',
    ]);
    expect(problems({ endpoint: { scheme: '0088', id: '4050000000018' } })).toEqual([]);
    expect(problems({ endpoint: { scheme: '0106' } })).toEqual(['/endpoint/id: is required in an endpoint']);
    // The writer would read `0106:123` as a scheme and an id.
    expect(problems({ endpoint: { scheme: '0106', id: '0106:123' } })).toHaveLength(1);
    expect(problems({ ...full, website: 'https://acme.example' })).toEqual(['/website: is not a billing detail']);
    expect(problems({ address: { ...full.address!, po: 'Box 1' } })).toEqual(['/address/po: is not a billing detail']);
  });

  it('refuses control characters, blank or padded text and overlong values', () => {
    expect(problems({ legalName: 'Acme\u0000' })).toEqual([
      expect.stringMatching(/^\/legalName: must not contain control/),
    ]);
    expect(problems({ address: { ...full.address!, city: 'Amster\u0007dam' } })).toEqual([
      expect.stringMatching(/^\/address\/city: must not contain control/),
    ]);
    expect(problems({ legalName: 'Acme\ud800' })).toHaveLength(1);
    expect(problems({ legalName: 'Acme\nTrading' })).toEqual([
      '/legalName: must not be blank, start or end with white space, or contain a control character',
    ]);
    expect(problems({ legalName: ' Acme' })).toHaveLength(1);
    expect(problems({ legalName: '' })).toEqual(['/legalName: must not be empty']);
    expect(problems({ legalName: 'A'.repeat(201) })).toEqual(['/legalName: must be at most 200 characters']);
    expect(problems({ address: { ...full.address!, postalCode: '1'.repeat(21) } })).toEqual([
      '/address/postalCode: must be at most 20 characters',
    ]);
    expect(problems({ vatId: `NL${'1'.repeat(31)}` })).toEqual(['/vatId: must be at most 32 characters']);
    expect(problems({ endpoint: { scheme: '0088', id: '1'.repeat(129) } })).toEqual([
      '/endpoint/id: must be at most 128 characters',
    ]);
  });

  it("makes the invoice's customer of a buyer: each detail only when it has it", () => {
    expect(invoiceCustomer({ name: 'Acme' })).toEqual({ name: 'Acme' });
    expect(
      invoiceCustomer({ name: full.legalName!, vatId: full.vatId, address: full.address, endpoint: full.endpoint }),
    ).toEqual({
      name: 'Acme Trading B.V.',
      vatId: 'NL123456789B01',
      endpointId: '12345678',
      endpointScheme: '0106',
      address: full.address,
    });
  });

  it('are refused by the service too, whoever calls it', async () => {
    const pool = createPool(inject('databaseUrl'), 1);
    try {
      await expect(createPartner(pool, { name: 'Bad', billing: { vatId: '123' } })).rejects.toThrow(
        InvalidBillingError,
      );
      await expect(updatePartnerBilling(pool, 'ptn_none', { vatId: '1234' })).rejects.toThrow(
        /invalid billing details: \/vatId/,
      );
      expect(await updatePartnerBilling(pool, 'ptn_none', full)).toBe(false);
    } finally {
      await pool.end();
    }
  });
});

describe('cli partner create|billing', () => {
  const pool = createPool(inject('databaseUrl'), 2);
  afterAll(async () => pool.end());

  const flags = ACME_BILLING_FLAGS;

  it('creates a partner with billing details, and replaces or clears them with partner billing', async () => {
    const created = (await partnerCommand(pool, 'create', { name: 'Acme', ...flags })) as {
      partnerId: string;
      apiKey: string;
      billing: PartnerBilling;
    };
    expect(created.billing).toEqual(full);
    expect(await getPartnerBilling(pool, created.partnerId)).toEqual(full);

    const replaced = await partnerCommand(pool, 'billing', {
      partner: created.partnerId,
      'vat-id': 'DE123456789',
      street: ' Hauptstraße 5 ',
      city: 'Berlin',
      'postal-code': '10115',
      country: 'DE',
    });
    const german = {
      vatId: 'DE123456789',
      address: { street: 'Hauptstraße 5', city: 'Berlin', postalCode: '10115', country: 'DE' },
    };
    expect(replaced).toEqual({ partnerId: created.partnerId, billing: german });
    // Replaced as a whole: the legal name and endpoint set before are gone.
    expect(await getPartnerBilling(pool, created.partnerId)).toEqual(german);
    const list = (await partnerCommand(pool, 'list', {})) as { partnerId: string; billing: unknown }[];
    expect(list.find((p) => p.partnerId === created.partnerId)?.billing).toEqual(german);

    expect(await partnerCommand(pool, 'billing', { partner: created.partnerId, clear: true })).toEqual({
      partnerId: created.partnerId,
      billing: null,
    });
    expect(await getPartnerBilling(pool, created.partnerId)).toBeNull();

    // Without billing flags a partner is created as before, without details.
    const plain = (await partnerCommand(pool, 'create', { name: 'Plain' })) as { partnerId: string };
    expect(plain).not.toHaveProperty('billing');
    expect(await getPartnerBilling(pool, plain.partnerId)).toBeNull();
  });

  it('refuses invalid details as a usage error naming the flag, and creates no partner', async () => {
    const name = `Refused ${Math.random().toString(36).slice(2)}`;
    const refused = partnerCommand(pool, 'create', { name, ...flags, 'vat-id': '123456789B01' });
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(/^invalid billing details: --vat-id must start with its two-letter/);
    const list = (await partnerCommand(pool, 'list', {})) as { name: string }[];
    expect(list.some((p) => p.name === name)).toBe(false);

    const { partnerId } = (await partnerCommand(pool, 'create', { name: 'Acme' })) as { partnerId: string };
    const billing = (f: Record<string, string | true>) => partnerCommand(pool, 'billing', { partner: partnerId, ...f });
    await expect(billing({ street: 'Keizersgracht 1', country: 'NL' })).rejects.toThrow(
      'invalid billing details: --city is required in an address (BR-10, BR-11); ' +
        '--postal-code is required in an address (BR-10, BR-11)',
    );
    await expect(billing({ 'endpoint-scheme': 'GLN', 'endpoint-id': '123' })).rejects.toThrow(/--endpoint-scheme must/);
    await expect(billing({ 'endpoint-id': '123' })).rejects.toThrow(/--endpoint-scheme is required in an endpoint/);
    await expect(billing({ 'legal-name': 'Acme\u0001' })).rejects.toThrow(/--legal-name must not contain control/);
    await expect(billing({ 'legal-name': 'A'.repeat(201) })).rejects.toThrow(/--legal-name must be at most 200/);
    await expect(billing({ 'vat-id': true })).rejects.toThrow('--vat-id needs a value');
    await expect(billing({})).rejects.toThrow(/needs billing flags or --clear/);
    await expect(billing({ clear: true, 'vat-id': 'NL123456789B01' })).rejects.toThrow(/give it alone/);
    await expect(partnerCommand(pool, 'billing', { 'vat-id': 'NL123456789B01' })).rejects.toThrow(
      '--partner is required',
    );
    await expect(partnerCommand(pool, 'billing', { partner: 'ptn_none', 'vat-id': 'NL1234' })).rejects.toThrow(
      'partner ptn_none does not exist',
    );
    expect(await getPartnerBilling(pool, partnerId)).toBeNull();
    expect(billingFromFlags({ name: 'only other flags' })).toBeUndefined();
  });

  it('as a process: prints the details set, and exits 2 with the reason for invalid ones', async () => {
    const root = path.join(__dirname, '..', '..');
    const cli = async (...args: string[]) => {
      const env = {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
        WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY,
      };
      try {
        const { stdout, stderr } = await promisify(execFile)(
          path.join(root, 'node_modules', '.bin', 'tsx'),
          [path.join(root, 'cli', 'main.ts'), ...args],
          { env, cwd: root },
        );
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    const { partnerId } = (await partnerCommand(pool, 'create', { name: 'Acme' })) as { partnerId: string };
    const set = await cli('partner', 'billing', '--partner', partnerId, '--vat-id', 'NL123456789B01');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ partnerId, billing: { vatId: 'NL123456789B01' } });
    const bad = await cli('partner', 'billing', '--partner', partnerId, '--country', 'Netherlands');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--country must be an ISO 3166-1 alpha-2 country code');
    expect(bad.stderr).toContain('--street is required in an address');
    const usage = await cli('partner', 'nothing');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('partner billing --partner ID');
    expect(await getPartnerBilling(pool, partnerId)).toEqual({ vatId: 'NL123456789B01' });
  });
});
