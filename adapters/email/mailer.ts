/**
 * Email through nodemailer: over SMTP when `SMTP_URL` is set, otherwise written as .eml files to an outbox
 * folder so nothing is lost and a developer can open them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

/** One email to send. */
export interface Email {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** Stable Message-ID so a retried send can be recognised as the same mail. */
  messageId?: string;
}

/** Sends email. */
export interface Mailer {
  send(email: Email): Promise<{ messageId: string }>;
  close(): void;
}

/** Creates the mailer for a configuration. */
export function createMailer(options: { smtpUrl?: string; outboxDir: string; from: string }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(email) {
        const info = await transport.sendMail({ from: options.from, ...email });
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  // The folder is made once, on the first mail; a failed attempt is retried by the next one.
  let outbox: Promise<unknown> | undefined;
  const ensureOutbox = (): Promise<unknown> =>
    (outbox ??= fs.mkdir(options.outboxDir, { recursive: true }).catch((err: unknown) => {
      outbox = undefined;
      throw err;
    }));
  return {
    async send(email) {
      const info = await transport.sendMail({ from: options.from, ...email });
      await ensureOutbox();
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9]/g, '')}.eml`;
      const write = (): Promise<void> => fs.writeFile(path.join(options.outboxDir, name), info.message as Buffer);
      await write().catch(async (err: unknown) => {
        // The folder went away since it was made: make it again.
        if ((err as { code?: string }).code !== 'ENOENT') throw err;
        outbox = undefined;
        await ensureOutbox();
        await write();
      });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
