/** The mailer without SMTP_URL: every mail lands as a parseable .eml file in the outbox, attachments included. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createMailer } from '../../adapters/email/mailer';

describe('outbox mailer', () => {
  it('writes each mail as an .eml file a mail client can open', async () => {
    const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-outbox-test-'));
    const mailer = createMailer({ outboxDir, from: 'Partner Workflows <no-reply@example.test>' });
    const pdf = Buffer.from('%PDF-1.3 fake');
    await mailer.send({
      to: 'ap@partner.test',
      subject: 'Invoice INV-2026-000001',
      text: 'attached',
      attachments: [{ filename: 'INV-2026-000001.pdf', content: pdf, contentType: 'application/pdf' }],
      messageId: '<sub_1.confirmation@partner-workflows>',
    });
    mailer.close();
    const files = fs.readdirSync(outboxDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const mail = await simpleParser(fs.readFileSync(path.join(outboxDir, files[0]!)));
    expect(mail.subject).toBe('Invoice INV-2026-000001');
    expect(mail.messageId).toBe('<sub_1.confirmation@partner-workflows>');
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['INV-2026-000001.pdf', '%PDF-1.3 fake'],
    ]);
  });
});
