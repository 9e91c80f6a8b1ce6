/**
 * What an SMTP failure means for the outbox row (DESIGN §3 rule 4). Pure.
 *
 * - permanent: the server refused this message for good (5xx except 503), or the message or
 *   address is unusable on our side → `failed` at once.
 * - transient: nothing was accepted and the same message can go later (connection refused or
 *   lost before the message data, timeouts, 4xx and 503 at any stage — a 4xx reply says the
 *   server did not take it) → retry with our backoff.
 * - ambiguous: the connection broke after the message data started to flow and before a
 *   reply; the server may have accepted it → `needs_review`, never re-sent by itself.
 */
export type SmtpFailureKind = 'transient' | 'permanent' | 'ambiguous';

export interface SmtpErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
  command?: string;
  originalCode?: string;
}

const PERMANENT_CODES = new Set([
  'EENVELOPE',
  'EMESSAGE',
  'EMAXRECIPIENTS',
  'ECONFIG',
  'EFILEACCESS',
  'EURLACCESS',
  'EUNSAFE',
]);

export function classifySmtpError(err: SmtpErrorLike, dataStarted: boolean): SmtpFailureKind {
  const reply = err.responseCode;
  if (typeof reply === 'number' && reply >= 200 && reply < 600) {
    if (reply >= 500 && reply !== 503) {
      return 'permanent';
    }
    if (reply >= 400) {
      return 'transient';
    }
    // An unexpected 2xx/3xx: the conversation went off the rails.
    return dataStarted ? 'ambiguous' : 'transient';
  }
  if (dataStarted) {
    return 'ambiguous';
  }
  return err.code && PERMANENT_CODES.has(err.code) ? 'permanent' : 'transient';
}

/** A one-line summary for last_error (no credentials: nodemailer never puts them in messages). */
export function describeSmtpError(err: SmtpErrorLike): string {
  const parts = [err.code, err.originalCode, err.responseCode, err.command]
    .filter((p) => p !== undefined && p !== null && p !== '')
    .map(String);
  const message = (err.message ?? 'unknown error').replace(/\s+/g, ' ').trim();
  const line = parts.length ? `${parts.join(' ')}: ${message}` : message;
  return line.length > 1000 ? `${line.slice(0, 997)}...` : line;
}
