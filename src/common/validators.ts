import { domainToASCII } from 'node:url';
import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';
import { normalizeOrgNumber, normalizePersonnummer } from './identity-numbers';

const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

// RFC 5322 dot-atom without `%` and `!`: those are old source-routing syntax (user%host@relay)
// that no real mailbox here needs. Quotes, comments, brackets, commas and whitespace are all
// outside this set, which is what keeps display names, lists and header injection out.
const LOCAL_PART = /^[A-Za-z0-9#$&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9#$&'*+/=?^_`{|}~-]+)*$/;

// "Simple" IDN: ASCII plus Latin-1 letters (å, ä, ö, æ, ø, é, ü...). That covers Nordic and
// most western European domains while refusing look-alike scripts and full-width forms.
const SIMPLE_DOMAIN_CHARS = /^[A-Za-z0-9.\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF-]+$/;
const ASCII_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
// An all-digit TLD would let `1.2.3.4` through as a disguised IP literal.
const TOP_LEVEL_DOMAIN = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/**
 * A single, plain mailbox address that is safe to hand to nodemailer.
 *
 * Refused: quoted local parts, comments, display names (`Name <a@b.se>`), lists, whitespace
 * (CR/LF included), IP-literal or dotless domains, non-ASCII local parts (SMTPUTF8 is not
 * guaranteed along the way), more than 254 characters. Domains may be IDN when they only use
 * Latin-1 letters (`info@räksmörgås.se`); they must still be valid once punycoded.
 * Case is kept: lower-casing for storage is the caller's job.
 */
export function isStrictEmail(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_EMAIL_LENGTH) {
    return false;
  }
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) {
    return false;
  }
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.test(local)) {
    return false;
  }
  if (!SIMPLE_DOMAIN_CHARS.test(domain)) {
    return false;
  }
  // Also validates punycode labels typed directly (`xn--...`): invalid ones come back empty.
  const ascii = domainToASCII(domain);
  if (!ascii || local.length + 1 + ascii.length > MAX_EMAIL_LENGTH) {
    return false;
  }
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((label) => ASCII_LABEL.test(label))) {
    return false;
  }
  return TOP_LEVEL_DOMAIN.test(labels[labels.length - 1]);
}

/** Swedish organisation number, or a sole trader's personnummer (see `normalizeOrgNumber`). */
export function IsOrgNumber(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOrgNumber',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' && normalizeOrgNumber(value) !== null,
        defaultMessage: buildMessage(
          (eachPrefix) =>
            `${eachPrefix}$property must be a valid Swedish organisation number (NNNNNN-NNNN)`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

export interface PersonnummerValidationOptions extends ValidationOptions {
  /** Samordningsnummer are accepted by default: many newly arrived young people only have one. */
  allowCoordinationNumber?: boolean;
}

/** Swedish personnummer (any common format); samordningsnummer unless turned off. */
export function IsPersonnummer(options: PersonnummerValidationOptions = {}): PropertyDecorator {
  const { allowCoordinationNumber = true, ...validationOptions } = options;
  const what = allowCoordinationNumber
    ? 'personal identity or coordination number'
    : 'personal identity number';
  return ValidateBy(
    {
      name: 'isPersonnummer',
      constraints: [{ allowCoordinationNumber }],
      validator: {
        validate: (value: unknown): boolean => {
          const parsed = typeof value === 'string' ? normalizePersonnummer(value) : null;
          return parsed !== null && (allowCoordinationNumber || !parsed.isCoordinationNumber);
        },
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a valid Swedish ${what} (YYYYMMDD-NNNN)`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

/** See `isStrictEmail` for what is refused and why. */
export function IsStrictEmail(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStrictEmail',
      validator: {
        validate: (value: unknown): boolean => isStrictEmail(value),
        defaultMessage: buildMessage(
          (eachPrefix) =>
            `${eachPrefix}$property must be a single plain email address (name@example.se)`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

/** A TypeScript enum, an `as const` object of values, or a list of values. */
export type EnumLike = Readonly<Record<string, string | number>> | readonly (string | number)[];

/** The values of an enum, without the reverse mappings TypeScript adds to numeric enums. */
export function enumValues(enumObj: EnumLike): (string | number)[] {
  if (Array.isArray(enumObj)) {
    return [...(enumObj as readonly (string | number)[])];
  }
  const record = enumObj as Readonly<Record<string, string | number>>;
  return Object.keys(record)
    .filter((key) => typeof record[record[key]] !== 'number')
    .map((key) => record[key]);
}

/** Like `@IsEnum`, but the message lists the allowed values so API clients can fix the input. */
export function IsEnumField(
  enumObj: EnumLike,
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  const allowed = enumValues(enumObj);
  return ValidateBy(
    {
      name: 'isEnumField',
      constraints: [allowed],
      validator: {
        validate: (value: unknown): boolean =>
          (typeof value === 'string' || typeof value === 'number') && allowed.includes(value),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be one of: ${allowed.join(', ')}`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
