/**
 * The contact policy (DESIGN §3 rules 2–3): may this organisation/user contact this employer now?
 *
 * One pure decision for humans (claims, the banner on the employer page) and for the email
 * pipeline alike. No Nest, no I/O, no clock: the caller passes `now` and everything it read.
 *
 * Rules, in order of precedence:
 * 1. DO_NOT_CONTACT — `status === 'do_not_contact'` blocks everything, with no exemption, until
 *    `doNotContactUntil` if set (from that instant on the employer is treated as not blocked).
 * 2. CLAIMED_BY_OTHER — an active, unexpired claim held by another organisation. A claim held by
 *    the asker's own organisation does not block. Exemptions do NOT lift a claim (see below).
 * 3. COOL_OFF — the last contact by anyone (the asker's own organisation included, policy
 *    breaches included) must be at least `minDaysBetweenContacts` days old (per-employer
 *    override, else the global default; 0 = no cool-off). The owner, follow-ups of an active
 *    placement and transactional emails are exempt from this rule only.
 *
 * Why exemptions lift the cool-off but not another organisation's claim: a claim is the
 * exclusive, short (days), visible right to contact the employer — the mechanism that stops
 * "contacted twice". Letting the owner or a follow-up through would reintroduce exactly the
 * double contact the claim holder reserved against, and the refusal names the holder, so the
 * owner can call them or wait a few days. Keeping one rule ("a claim is exclusive") also
 * keeps the email pipeline simple: it postpones to `nextAllowedAt` like for any refusal.
 *
 * Every blocker has the form "blocked while t < threshold", so with the same inputs a refusal
 * stays a refusal until the largest threshold and is allowed from it on: `nextAllowedAt` is
 * that largest threshold (the first allowed instant), never before `now`, and null only for
 * an open-ended do-not-contact. It is not moved to business hours: that is the mail
 * pipeline's job.
 */
import { DateTime } from 'luxon';

export const CONTACT_POLICY_DEFAULT_MIN_DAYS = 14;
/** Days are calendar days in this zone (a cool-off keeps the wall-clock time across DST). */
export const CONTACT_POLICY_TIME_ZONE = 'Europe/Stockholm';

export const EMPLOYER_STATUSES = ['prospect', 'active', 'paused', 'do_not_contact'] as const;
export type EmployerStatus = (typeof EMPLOYER_STATUSES)[number];

export const CONTACT_PURPOSES = [
  'internship',
  'recruitment',
  'trainee_job',
  'education_contract',
  'work_training',
  'follow_up',
  'other',
] as const;
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];

export const CONTACT_CHANNELS = ['phone', 'email', 'visit', 'meeting', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_CLAIM_STATUSES = ['active', 'used', 'released', 'expired'] as const;
export type ContactClaimStatus = (typeof CONTACT_CLAIM_STATUSES)[number];

export type ContactCategory = 'human' | 'transactional' | 'outreach';
export type ContactExemption = 'owner' | 'placement_follow_up' | 'transactional';
export type ContactRefusalReason = 'DO_NOT_CONTACT' | 'CLAIMED_BY_OTHER' | 'COOL_OFF';

/** The employer's side of the policy (from the employer row). */
export interface ContactPolicyEmployer {
  /** Do-not-contact is derived from the status alone; `paused` does not block. */
  status: EmployerStatus;
  /** Shown in the refusal; does not block by itself. */
  doNotContactReason?: string | null;
  /** The do-not-contact lifts by itself at this instant. Null/absent = until further notice. */
  doNotContactUntil?: Date | null;
  /** Per-employer override of the global default; null = use the default. */
  minDaysBetweenContacts: number | null;
  ownerUserId: string | null;
  /** Informational; the owner exemption is decided by the user id alone. */
  ownerOrganisationId?: string | null;
}

/** One entry of the shared contact history (contact_event), in any order. */
export interface ContactPolicyContact {
  occurredAt: Date;
  organisationId: string;
  organisationName: string;
  /** Null for an automated email. */
  userId: string | null;
  userName?: string | null;
  purpose: ContactPurpose;
  channel: ContactChannel;
  /** A contact made despite a refusal still counts for the cool-off. */
  policyBreach?: boolean;
}

/** A contact_claim row; inactive or expired ones are ignored here, at read time. */
export interface ContactPolicyClaim {
  id: string;
  organisationId: string;
  organisationName: string;
  userId: string | null;
  userName?: string | null;
  purpose: ContactPurpose;
  createdAt: Date;
  validUntil: Date;
  status: ContactClaimStatus;
}

export interface ContactPolicyAsker {
  organisationId: string;
  /** Null = an automated email sent on behalf of `organisationId`. */
  userId: string | null;
}

export interface ContactPolicyFlags {
  /** Set by the caller when `purpose === 'follow_up'` concerns an active placement. */
  isActivePlacementFollowUp?: boolean;
  /** Emails only; `transactional` (links, answers the employer is waiting for) skips the cool-off. */
  category?: ContactCategory;
}

export interface ContactPolicyInput {
  employer: ContactPolicyEmployer;
  /** The global setting; defaults to CONTACT_POLICY_DEFAULT_MIN_DAYS. */
  defaultMinDaysBetweenContacts?: number;
  contacts: readonly ContactPolicyContact[];
  claims: readonly ContactPolicyClaim[];
  asker: ContactPolicyAsker;
  purpose: ContactPurpose;
  flags?: ContactPolicyFlags;
  now: Date;
}

/** Who contacted the employer last, or who holds the claim. */
export interface ContactHolder {
  organisationId: string;
  organisationName: string;
  userId: string | null;
  userName: string | null;
  /** Claim: when it was taken. Contact: when it happened (a future contact counts as now). */
  since: Date;
  purpose: ContactPurpose;
  /** Only for a contact. */
  channel?: ContactChannel;
}

export interface ContactAllowed {
  decision: 'allowed';
  /** Present only when the exemption was needed, i.e. the cool-off would have refused. */
  exemption?: ContactExemption;
}

export interface ContactRefusal {
  decision: 'refused';
  reason: ContactRefusalReason;
  /** Absent for DO_NOT_CONTACT. */
  holder?: ContactHolder;
  /** The first instant at which the same inputs are allowed; null only for open-ended do-not-contact. */
  nextAllowedAt: Date | null;
  /** An English sentence for logs. */
  message: string;
  /** The `now` this was decided at (lets describeDecision say "3 days ago"). */
  decidedAt: Date;
  /** Only for DO_NOT_CONTACT. */
  doNotContactReason?: string | null;
}

export type ContactDecision = ContactAllowed | ContactRefusal;

const PURPOSE_LABELS: Record<'sv' | 'en', Record<ContactPurpose, string>> = {
  sv: {
    internship: 'praktik',
    recruitment: 'rekrytering',
    trainee_job: 'traineejobb',
    education_contract: 'utbildningskontrakt',
    work_training: 'arbetsträning',
    follow_up: 'uppföljning',
    other: 'annat',
  },
  en: {
    internship: 'internship',
    recruitment: 'recruitment',
    trainee_job: 'trainee job',
    education_contract: 'education contract',
    work_training: 'work training',
    follow_up: 'follow-up',
    other: 'other matters',
  },
};

/** Human words for a purpose ("praktik", "internship"). */
export function contactPurposeLabel(purpose: ContactPurpose, locale: 'sv' | 'en'): string {
  return PURPOSE_LABELS[locale][purpose];
}

/** A claim counts only while it is active and unexpired — checked here, never by a job. */
export function isClaimInForce(claim: ContactPolicyClaim, now: Date): boolean {
  return claim.status === 'active' && claim.validUntil.getTime() > now.getTime();
}

/** The per-employer override, else the global default, else 14. Throws on a bad setting. */
export function resolveMinDaysBetweenContacts(
  employer: Pick<ContactPolicyEmployer, 'minDaysBetweenContacts'>,
  defaultMinDays: number = CONTACT_POLICY_DEFAULT_MIN_DAYS,
): number {
  const days = employer.minDaysBetweenContacts ?? defaultMinDays;
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`minDaysBetweenContacts must be a non-negative integer, got ${days}`);
  }
  return days;
}

/** `date` plus whole calendar days in Europe/Stockholm (same wall-clock time). */
export function addContactDays(date: Date, days: number): Date {
  return DateTime.fromJSDate(date, { zone: CONTACT_POLICY_TIME_ZONE }).plus({ days }).toJSDate();
}

/** yyyy-MM-dd in Europe/Stockholm: a ready-made `formatDate` for describeDecision. */
export function formatContactDate(date: Date): string {
  return DateTime.fromJSDate(date, { zone: CONTACT_POLICY_TIME_ZONE }).toFormat('yyyy-MM-dd');
}

/** Decides whether `asker` may contact the employer at `now`. Pure. */
export function decideContact(input: ContactPolicyInput): ContactDecision {
  const { employer, asker, purpose, now } = input;
  const flags = input.flags ?? {};
  assertDate(now, 'now');
  const t = now.getTime();
  const minDays = resolveMinDaysBetweenContacts(employer, input.defaultMinDaysBetweenContacts);

  // Rule 1: do-not-contact.
  const dncUntil = employer.doNotContactUntil ?? null;
  if (dncUntil !== null) {
    assertDate(dncUntil, 'doNotContactUntil');
  }
  const dncActive =
    employer.status === 'do_not_contact' && (dncUntil === null || t < dncUntil.getTime());

  // Rule 2: claims by other organisations.
  for (const claim of input.claims) {
    assertDate(claim.validUntil, 'claim.validUntil');
    assertDate(claim.createdAt, 'claim.createdAt');
  }
  const blockingClaims = input.claims.filter(
    (claim) => isClaimInForce(claim, now) && claim.organisationId !== asker.organisationId,
  );

  // Rule 3: cool-off from the latest contact by anyone.
  for (const contact of input.contacts) {
    assertDate(contact.occurredAt, 'contact.occurredAt');
  }
  const lastContact = latestContact(input.contacts);
  // Blocked while t < occurredAt + minDays. For a future contact (clock skew) this is the same
  // as "it happened now" at every t, and it keeps nextAllowedAt stable as time passes.
  const coolOffEnd =
    lastContact !== null && minDays > 0 ? addContactDays(lastContact.occurredAt, minDays) : null;
  const coolOffWouldBlock = coolOffEnd !== null && t < coolOffEnd.getTime();
  const exemption = coolOffExemption(employer, asker, purpose, flags);
  const coolOffActive = coolOffWouldBlock && exemption === null;

  if (!dncActive && blockingClaims.length === 0 && !coolOffActive) {
    return exemption !== null && coolOffWouldBlock
      ? { decision: 'allowed', exemption }
      : { decision: 'allowed' };
  }

  // The first allowed instant is the largest threshold among the blockers in force.
  let nextAllowedAt: Date | null = null;
  if (!(dncActive && dncUntil === null)) {
    const thresholds: number[] = blockingClaims.map((claim) => claim.validUntil.getTime());
    if (dncActive && dncUntil !== null) {
      thresholds.push(dncUntil.getTime());
    }
    if (coolOffActive && coolOffEnd !== null) {
      thresholds.push(coolOffEnd.getTime());
    }
    nextAllowedAt = new Date(Math.max(...thresholds));
  }

  if (dncActive) {
    const reason = employer.doNotContactReason ?? null;
    const why = reason ? ` (reason: ${reason})` : '';
    const message =
      nextAllowedAt === null
        ? `Employer is marked do-not-contact${why} with no end date; no contact is allowed.`
        : `Employer is marked do-not-contact${why} until ${iso(dncUntil)}; ` +
          `next contact allowed at ${iso(nextAllowedAt)}.`;
    return {
      decision: 'refused',
      reason: 'DO_NOT_CONTACT',
      nextAllowedAt,
      message,
      decidedAt: now,
      doNotContactReason: reason,
    };
  }

  if (blockingClaims.length > 0) {
    const claim = [...blockingClaims].sort(compareClaimsForHolder)[0];
    const holder: ContactHolder = {
      organisationId: claim.organisationId,
      organisationName: claim.organisationName,
      userId: claim.userId,
      userName: claim.userName ?? null,
      since: claim.createdAt,
      purpose: claim.purpose,
    };
    const message =
      `Employer is claimed by ${whoForLog(holder)} for ${PURPOSE_LABELS.en[claim.purpose]} ` +
      `since ${iso(claim.createdAt)}, valid until ${iso(claim.validUntil)}; ` +
      `next contact allowed at ${iso(nextAllowedAt)}.`;
    return {
      decision: 'refused',
      reason: 'CLAIMED_BY_OTHER',
      holder,
      nextAllowedAt,
      message,
      decidedAt: now,
    };
  }

  // Only the cool-off is left.
  const contact = lastContact as ContactPolicyContact;
  const holder: ContactHolder = {
    organisationId: contact.organisationId,
    organisationName: contact.organisationName,
    userId: contact.userId,
    userName: contact.userName ?? null,
    since: new Date(Math.min(contact.occurredAt.getTime(), t)),
    purpose: contact.purpose,
    channel: contact.channel,
  };
  const message =
    `Employer was last contacted by ${whoForLog(holder)} at ${iso(contact.occurredAt)} ` +
    `about ${PURPOSE_LABELS.en[contact.purpose]} by ${contact.channel}; ` +
    `cool-off is ${minDays} days; next contact allowed at ${iso(nextAllowedAt)}.`;
  return {
    decision: 'refused',
    reason: 'COOL_OFF',
    holder,
    nextAllowedAt,
    message,
    decidedAt: now,
  };
}

/**
 * A banner sentence for people, in Swedish or English, e.g.
 * "Arbetsförmedlingen Eslöv kontaktade arbetsgivaren för 3 dagar sedan om praktik; nästa
 * kontakt tillåten 2026-12-02." `now` (for "3 days ago") defaults to the decision's decidedAt.
 */
export function describeDecision(
  decision: ContactDecision,
  locale: 'sv' | 'en',
  formatDate: (date: Date) => string,
  now?: Date,
): string {
  const sv = locale === 'sv';
  if (decision.decision === 'allowed') {
    switch (decision.exemption) {
      case 'owner':
        return sv
          ? 'Kontakt tillåten: du är ansvarig för arbetsgivaren.'
          : 'Contact allowed: you are responsible for this employer.';
      case 'placement_follow_up':
        return sv
          ? 'Kontakt tillåten: uppföljning av en pågående placering.'
          : 'Contact allowed: follow-up of an active placement.';
      case 'transactional':
        return sv
          ? 'Kontakt tillåten: meddelande som arbetsgivaren väntar på.'
          : 'Contact allowed: a message the employer is waiting for.';
      default:
        return sv ? 'Kontakt tillåten.' : 'Contact allowed.';
    }
  }

  const next = decision.nextAllowedAt;
  const tail =
    next === null
      ? sv
        ? 'ingen kontakt tillåten tills vidare'
        : 'no contact allowed until further notice'
      : sv
        ? `nästa kontakt tillåten ${formatDate(next)}`
        : `next contact allowed ${formatDate(next)}`;

  if (decision.reason === 'DO_NOT_CONTACT') {
    const reason = decision.doNotContactReason;
    const why = reason ? (sv ? ` (orsak: ${reason})` : ` (reason: ${reason})`) : '';
    if (next === null) {
      return sv
        ? `Arbetsgivaren får inte kontaktas tills vidare${why}.`
        : `The employer must not be contacted until further notice${why}.`;
    }
    return sv
      ? `Arbetsgivaren får inte kontaktas${why}; ${tail}.`
      : `The employer must not be contacted${why}; ${tail}.`;
  }

  const holder = decision.holder;
  if (holder === undefined) {
    return sv ? `Kontakt inte tillåten; ${tail}.` : `Contact not allowed; ${tail}.`;
  }
  const who = whoForPeople(holder, sv);
  const purpose = PURPOSE_LABELS[locale][holder.purpose];

  if (decision.reason === 'CLAIMED_BY_OTHER') {
    return sv
      ? `${who} har reserverat kontakten med arbetsgivaren om ${purpose} sedan ` +
          `${formatDate(holder.since)}; ${tail}.`
      : `${who} has claimed contact with the employer about ${purpose} since ` +
          `${formatDate(holder.since)}; ${tail}.`;
  }

  const days = calendarDaysBetween(holder.since, now ?? decision.decidedAt);
  const ago = sv
    ? days === 0
      ? 'idag'
      : days === 1
        ? 'igår'
        : `för ${days} dagar sedan`
    : days === 0
      ? 'today'
      : days === 1
        ? 'yesterday'
        : `${days} days ago`;
  return sv
    ? `${who} kontaktade arbetsgivaren ${ago} om ${purpose}; ${tail}.`
    : `${who} contacted the employer ${ago} about ${purpose}; ${tail}.`;
}

function coolOffExemption(
  employer: ContactPolicyEmployer,
  asker: ContactPolicyAsker,
  purpose: ContactPurpose,
  flags: ContactPolicyFlags,
): ContactExemption | null {
  // Both null (a system email, an employer without owner) must not count as "the owner".
  if (asker.userId !== null && asker.userId === employer.ownerUserId) {
    return 'owner';
  }
  if (purpose === 'follow_up' && flags.isActivePlacementFollowUp === true) {
    return 'placement_follow_up';
  }
  if (flags.category === 'transactional') {
    return 'transactional';
  }
  return null;
}

/** The latest contact; ties broken on every field the holder shows, so order never matters. */
function latestContact(contacts: readonly ContactPolicyContact[]): ContactPolicyContact | null {
  let best: ContactPolicyContact | null = null;
  for (const contact of contacts) {
    if (best === null || compareContactsLatestFirst(contact, best) < 0) {
      best = contact;
    }
  }
  return best;
}

function compareContactsLatestFirst(a: ContactPolicyContact, b: ContactPolicyContact): number {
  return (
    b.occurredAt.getTime() - a.occurredAt.getTime() ||
    compareText(a.organisationId, b.organisationId) ||
    compareText(a.organisationName, b.organisationName) ||
    compareText(a.userId, b.userId) ||
    compareText(a.userName, b.userName) ||
    compareText(a.purpose, b.purpose) ||
    compareText(a.channel, b.channel)
  );
}

/** The holder of several blocking claims (normally there is one): the earliest taken. */
function compareClaimsForHolder(a: ContactPolicyClaim, b: ContactPolicyClaim): number {
  return (
    a.createdAt.getTime() - b.createdAt.getTime() ||
    compareText(a.id, b.id) ||
    compareText(a.organisationId, b.organisationId) ||
    compareText(a.organisationName, b.organisationName) ||
    compareText(a.userId, b.userId) ||
    compareText(a.userName, b.userName) ||
    compareText(a.purpose, b.purpose) ||
    b.validUntil.getTime() - a.validUntil.getTime()
  );
}

function compareText(a: string | null | undefined, b: string | null | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function calendarDaysBetween(from: Date, to: Date): number {
  const start = DateTime.fromJSDate(from, { zone: CONTACT_POLICY_TIME_ZONE }).startOf('day');
  const end = DateTime.fromJSDate(to, { zone: CONTACT_POLICY_TIME_ZONE }).startOf('day');
  return Math.max(0, Math.round(end.diff(start, 'days').days));
}

function whoForLog(holder: ContactHolder): string {
  const person =
    holder.userId === null ? 'automated email' : (holder.userName ?? `user ${holder.userId}`);
  return `${holder.organisationName} (${person})`;
}

function whoForPeople(holder: ContactHolder, sv: boolean): string {
  if (holder.userName) {
    return `${holder.organisationName} (${holder.userName})`;
  }
  if (holder.userId === null) {
    return `${holder.organisationName} (${sv ? 'automatiskt mejl' : 'automated email'})`;
  }
  return holder.organisationName;
}

function iso(date: Date | null): string {
  return date === null ? 'never' : date.toISOString();
}

function assertDate(value: Date, name: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}
