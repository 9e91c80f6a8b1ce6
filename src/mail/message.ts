/**
 * Turns a rendered email into nodemailer options. Pure; the only place headers are built.
 *
 * Nothing from a row or a payload becomes a header verbatim: the address must pass
 * isStrictEmail, display names and the subject are reduced to one clean line (no CR/LF, no
 * control characters, no "=?" that a reader would decode as an encoded word), and every other
 * header value is a constant or derived from our own ids and config.
 */
import type { SendMailOptions } from 'nodemailer';
import { isStrictEmail } from '../common/validators';

export interface MailAddress {
  address: string;
  name: string | null;
}

export interface OutgoingMail {
  outboxId: string;
  from: MailAddress;
  to: MailAddress;
  subject: string;
  text: string;
  html: string;
  /** Outreach mail: RFC 2369 List-Unsubscribe (our /u/{token} page). */
  listUnsubscribeUrl?: string | null;
  /** Internal reminders: Auto-Submitted, so auto-replies stay quiet. */
  autoSubmitted?: boolean;
}

const MAX_NAME = 100;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MAX_SUBJECT = 200;

/**
 * One line of text safe for a header: control characters (C0, C1, DEL), line and paragraph
 * separators and bidi overrides become spaces, whitespace is collapsed, lone surrogates are
 * repaired, and `=?` is broken so no part reads as an RFC 2047 encoded word.
 */
export function cleanHeaderText(value: unknown, max: number): string {
  if (typeof value !== 'string') {
    return '';
  }
  const cleaned = value
    .replace(LONE_SURROGATE, '\ufffd')
    // Control characters are exactly what this strips.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/=\?/g, '= ?')
    .trim();
  const chars = Array.from(cleaned);
  return chars.length > max ? chars.slice(0, max).join('').trim() : cleaned;
}

export function cleanDisplayName(value: unknown): string | null {
  const name = cleanHeaderText(value, MAX_NAME);
  return name === '' ? null : name;
}

export function cleanSubject(value: unknown): string {
  return cleanHeaderText(value, MAX_SUBJECT);
}

/** `Name <address@host>` or a bare address, as configured in MAIL_FROM. */
export function parseMailFrom(from: string): MailAddress {
  const m = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(from);
  const address = (m ? m[2] : from).trim();
  const rawName = m ? m[1].replace(/^"(.*)"$/, '$1') : '';
  return { address, name: cleanDisplayName(rawName) };
}

/** The domain used in Message-IDs: the sender's domain. */
export function messageIdHost(fromAddress: string): string {
  const at = fromAddress.lastIndexOf('@');
  const host = at >= 0 ? fromAddress.slice(at + 1).toLowerCase() : '';
  return /^[a-z0-9.-]+$/.test(host) && host.length > 0 ? host : 'praktiknav.localhost';
}

/** Derived from the outbox id, so a resend of the same row carries the same Message-ID. */
export function messageIdFor(outboxId: string, host: string): string {
  return `<${outboxId}@${host}>`;
}

export class UnsafeMailError extends Error {}

/** nodemailer options for one message; throws UnsafeMailError if the recipient is not plain. */
export function toNodemailerOptions(mail: OutgoingMail, host: string): SendMailOptions {
  if (!isStrictEmail(mail.to.address)) {
    throw new UnsafeMailError('The recipient is not a single plain address');
  }
  if (!isStrictEmail(mail.from.address)) {
    throw new UnsafeMailError('MAIL_FROM is not a plain address');
  }
  if (!/^[0-9a-f-]{36}$/i.test(mail.outboxId)) {
    throw new UnsafeMailError('The outbox id is not an id');
  }
  const toName = cleanDisplayName(mail.to.name);
  const fromName = cleanDisplayName(mail.from.name);
  const headers: Record<string, string> = {};
  if (mail.autoSubmitted) {
    headers['Auto-Submitted'] = 'auto-generated';
  }
  const options: SendMailOptions = {
    from: fromName ? { name: fromName, address: mail.from.address } : mail.from.address,
    to: toName ? [{ name: toName, address: mail.to.address }] : [mail.to.address],
    subject: cleanSubject(mail.subject),
    text: mail.text,
    html: mail.html,
    messageId: messageIdFor(mail.outboxId, host),
    headers,
    // The SMTP envelope is exactly the one address, whatever the headers say.
    envelope: { from: mail.from.address, to: [mail.to.address] },
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const unsubscribe = mail.listUnsubscribeUrl;
  if (unsubscribe) {
    if (!/^https?:\/\/[^\s<>"]+$/.test(unsubscribe)) {
      throw new UnsafeMailError('The unsubscribe link is not a plain http(s) URL');
    }
    // Set here rather than with nodemailer's `list` option, which only the Mailer (not the
    // MailComposer used by the tests) understands; the URL was checked just above.
    headers['List-Unsubscribe'] = `<${unsubscribe}>`;
  }
  return options;
}
