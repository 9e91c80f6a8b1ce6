import Organisationsnummer from 'organisationsnummer';
import Personnummer from 'personnummer';

/** A validated organisation number as stored in `employer.org_number`. */
export interface NormalizedOrgNumber {
  /** 10 digits, no separator, no `16` prefix. */
  value: string;
  /** True for a sole trader (enskild firma), whose number is a personnummer: personal data. */
  isPersonnummer: boolean;
  /** Legal form as named by the `organisationsnummer` package, in Swedish (e.g. `Aktiebolag`). */
  type: string;
}

export interface NormalizedPersonnummer {
  /** YYYYMMDDNNNN: the century is explicit so the value is stable as people age. */
  long: string;
  /** YYYY-MM-DD; for a samordningsnummer the real day (day minus 60). */
  birthDate: string;
  isCoordinationNumber: boolean;
  /** Legal sex encoded in the number, not the participant's stated gender. */
  sex: 'male' | 'female';
}

// Word processors and phones turn `-` into en dashes or minus signs; users paste those.
const DASH_LOOKALIKES = /[\u2010-\u2015\u2212]/g;

// Before 1800 nobody alive has a number, and accepting such centuries would let a
// `16`-prefixed organisation number be read as a personnummer born in the 1600s.
const EARLIEST_BIRTH_YEAR = 1800;

function canonicalInput(input: string): string {
  return input.trim().replace(DASH_LOOKALIKES, '-');
}

function todayUtcIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Parses a personnummer or samordningsnummer in any common format
 * (YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, YYYYMMDDNNNN, YYYYMMDD-NNNN).
 * Ten-digit forms get their century the way the Tax Agency defines it: `+` means 100 or older.
 * Interim numbers (letters) are refused; birth dates in the future are refused.
 */
export function normalizePersonnummer(input: string): NormalizedPersonnummer | null {
  if (typeof input !== 'string') {
    return null;
  }
  let parsed: Personnummer;
  try {
    parsed = Personnummer.parse(canonicalInput(input), {
      allowCoordinationNumber: true,
      allowInterimNumber: false,
    });
  } catch {
    return null;
  }
  const year = Number(parsed.fullYear);
  if (year < EARLIEST_BIRTH_YEAR) {
    return null;
  }
  const isCoordinationNumber = parsed.isCoordinationNumber();
  const day = Number(parsed.day) - (isCoordinationNumber ? 60 : 0);
  const birthDate = `${parsed.fullYear}-${parsed.month}-${String(day).padStart(2, '0')}`;
  if (birthDate > todayUtcIso()) {
    return null;
  }
  return {
    long: parsed.format(true),
    birthDate,
    isCoordinationNumber,
    sex: parsed.isMale() ? 'male' : 'female',
  };
}

/**
 * Parses an organisation number (556016-0680, 5560160680, 165560160680) or a sole trader's
 * personnummer in any format. The stored value is always 10 digits; for a sole trader the
 * century is dropped, as the Companies Registration Office does.
 */
export function normalizeOrgNumber(input: string): NormalizedOrgNumber | null {
  if (typeof input !== 'string') {
    return null;
  }
  const canonical = canonicalInput(input);
  let parsed: Organisationsnummer;
  try {
    parsed = Organisationsnummer.parse(canonical);
  } catch {
    return null;
  }
  if (parsed.isPersonnummer()) {
    // Re-parse with our own rules (interim numbers, implausible centuries, future dates).
    const person = normalizePersonnummer(canonical);
    if (!person) {
      return null;
    }
    return { value: person.long.slice(2), isPersonnummer: true, type: parsed.type() };
  }
  const value = parsed.format(false);
  if (!/^\d{10}$/.test(value)) {
    return null;
  }
  return { value, isPersonnummer: false, type: parsed.type() };
}

/** NNNNNN-NNNN. Returns the input unchanged when it is not 10 digits, so views never throw. */
export function formatOrgNumber(value10: string): string {
  if (!/^\d{10}$/.test(value10)) {
    return value10;
  }
  return `${value10.slice(0, 6)}-${value10.slice(6)}`;
}

/**
 * Display form of a stored organisation number. A sole trader's number is a personnummer, so
 * only the birth date part is shown (`800101-XXXX`); company numbers are public and shown whole.
 */
export function maskOrgNumber(value10: string, isPersonnummer: boolean): string {
  if (!isPersonnummer) {
    return formatOrgNumber(value10);
  }
  if (!/^\d{10}$/.test(value10)) {
    // Unknown shape: reveal nothing rather than guess which part is safe.
    return 'XXXXXX-XXXX';
  }
  return `${value10.slice(0, 6)}-XXXX`;
}

/** Replacement used by `maskPersonalNumbersInText`. */
export const PERSONAL_NUMBER_MASK = '[personnummer]';

// 10 or 12 digits not touching other digits, optionally split before the last four by
// `-`, `+`, a space, a dash lookalike or their URL encodings. No date check on purpose: for
// log redaction a typo'd personnummer is still personal data, and masking a phone or
// organisation number too is an acceptable price.
const PERSONAL_NUMBER_IN_TEXT =
  /(?<!\d)(?:\d{2})?\d{6}(?:[-+ \u00a0\u2010-\u2015\u2212]|%2[bBdD0])?\d{4}(?!\d)/g;

/** Redacts anything that looks like a personnummer or samordningsnummer in free text. */
export function maskPersonalNumbersInText(text: string): string {
  return text.replace(PERSONAL_NUMBER_IN_TEXT, PERSONAL_NUMBER_MASK);
}
