/**
 * Employer CSV import: the pure, streaming part (no database, no Nest).
 *
 * Bytes → text: the encoding is sniffed (UTF-8 BOM, valid UTF-8, else windows-1252, which is
 * what Swedish Excel's "CSV (semikolonavgränsad)" writes). ASCII is the same in both, so the
 * decision waits for the first non-ASCII byte (plus a little lookahead) instead of trusting
 * only the first chunk: a cp1252 file whose first 64 KiB happen to be ASCII is still read
 * right. From then on an iconv-lite decoder handles the rest, chunk by chunk.
 *
 * Text → records: an Excel `sep=;` first line is dropped (and obeyed), the delimiter is
 * detected on the header line, and csv-parse's streaming parser does the rest. Nothing holds
 * more than one chunk plus one record in memory, except the within-file duplicate index (one
 * short key per valid row; `detectDuplicates: false` turns it off).
 *
 * Records → rows: the header is mapped to canonical fields (Swedish or English, case-,
 * space-, punctuation- and diacritic-insensitive); each data row is validated and yielded as
 * an `ImportRow` with its 1-based file line. Row problems never throw: they are listed in
 * `row.errors` and `row.data` is then absent. What throws is a file that cannot be read as a
 * whole (`CsvImportError`): empty, no name column, UTF-16, broken quoting.
 *
 * The header is reported through the `onHeader` option, called exactly once before the
 * first row (also when the header is unusable, just before the `CsvImportError`).
 */
import { isUtf8 } from 'node:buffer';
import { Readable, pipeline } from 'node:stream';
import { CsvError, type Info, type Parser, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { maskPersonalNumbersInText, normalizeOrgNumber } from '../common/identity-numbers';
import { isStrictEmail } from '../common/validators';
import { normalizeEmployerName, normalizeUnitName } from './duplicates';

// ---------------------------------------------------------------------------
// Public types

export type CsvEncoding = 'utf-8' | 'windows-1252';
export type CsvDelimiter = ';' | ',' | '\t';

/** Canonical columns of the employer CSV (the API's field names; contact split in three). */
export const EMPLOYER_CSV_FIELDS = [
  'name',
  'orgNumber',
  'unitName',
  'sector',
  'municipality',
  'industry',
  'address',
  'website',
  'segments',
  'contactName',
  'contactEmail',
  'contactPhone',
] as const;
export type EmployerCsvField = (typeof EMPLOYER_CSV_FIELDS)[number];

// Same values as EMPLOYER_SECTORS / EMPLOYER_SEGMENTS in employer.entity.ts; repeated here so
// this module stays free of TypeORM (the spec checks that the lists agree).
export const IMPORT_SECTORS = [
  'private',
  'municipal_department',
  'municipal_company',
  'region',
  'state',
  'social_enterprise',
  'association',
] as const;
export type ImportSector = (typeof IMPORT_SECTORS)[number];

export const IMPORT_SEGMENTS = [
  'shortage_occupation',
  'welfare_trainee_jobs',
  'small_business',
  'social_enterprise',
  'iop_partner',
] as const;
export type ImportSegment = (typeof IMPORT_SEGMENTS)[number];

/** Swedish labels, as the export writes them and the import reads them back. */
export const SECTOR_LABELS_SV: Readonly<Record<ImportSector, string>> = {
  private: 'privat',
  municipal_department: 'kommunal förvaltning',
  municipal_company: 'kommunalt bolag',
  region: 'region',
  state: 'statlig',
  social_enterprise: 'socialt företag',
  association: 'förening',
};

export const SEGMENT_LABELS_SV: Readonly<Record<ImportSegment, string>> = {
  shortage_occupation: 'bristyrke',
  welfare_trainee_jobs: 'traineejobb i välfärden',
  small_business: 'småföretag',
  social_enterprise: 'socialt företag',
  iop_partner: 'IOP-partner',
};

export interface ImportFieldError {
  /** A canonical field name (`name`, `orgNumber`, `contactEmail`, …) or `row`. */
  field: EmployerCsvField | 'row';
  message: string;
}

export interface EmployerImportContact {
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface EmployerImportData {
  name: string;
  /** 10 digits, normalised; null when the cell is empty. */
  orgNumber: string | null;
  /** A sole trader: the number is a personnummer (personal data). */
  orgNumberIsPersonnummer: boolean;
  unitName: string | null;
  sector: ImportSector;
  /** Kommunkod, 4 digits. */
  municipality: string | null;
  /** SNI 2007 code in SCB's dotted form (`56.100`, `47.11`, `01`). */
  industry: string | null;
  address: string | null;
  /** With a scheme (`https://` added when the cell had none). */
  website: string | null;
  segments: ImportSegment[];
  /** Present when any contact cell is filled; the name may be missing (a generic mailbox). */
  contact?: EmployerImportContact;
}

export type DuplicateInFileReason = 'same_org_number_and_unit' | 'same_normalized_name';

export interface ImportRow {
  /** 1-based line in the file where the record starts, counting the header (and `sep=`). */
  line: number;
  /** The cells as read (trimmed), keyed by the header text. Extra cells: `Column N`. */
  raw: Record<string, string>;
  /** Present exactly when `errors` is empty. */
  data?: EmployerImportData;
  errors: ImportFieldError[];
  /**
   * An earlier valid row in the same file that this one looks like. A hint, not an error: a
   * file may list one employer once per contact person. Checking against the register is
   * the service's job.
   */
  duplicateOf?: { line: number; reason: DuplicateInFileReason };
}

export interface ImportHeaderColumn {
  /** 0-based position. */
  index: number;
  /** The header text, trimmed. */
  header: string;
  /** The canonical field, or null when unknown or already taken by an earlier column. */
  field: EmployerCsvField | null;
}

export interface ImportHeaderInfo {
  /**
   * Detected (or forced) encoding. Decided at the first non-ASCII byte; when everything up
   * to the header line was ASCII it is reported as `utf-8` and a later non-UTF-8 byte still
   * switches decoding to windows-1252 (the rows are right; only this label would be stale).
   */
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** True when an Excel `sep=` line preceded the header (it is skipped). */
  sepLine: boolean;
  /** 1-based file line of the header; 0 when the file has none. */
  line: number;
  columns: ImportHeaderColumn[];
  /** Field → the header text of the column that feeds it. */
  mapped: Partial<Record<EmployerCsvField, string>>;
  /** Columns that were not recognised (ignored; not fatal). */
  unknown: string[];
  /** Recognised columns whose field an earlier column already feeds (used as a fallback). */
  duplicates: string[];
  /** Fatal problems (empty file, no name column). Non-empty ⇒ `CsvImportError` follows. */
  errors: ImportFieldError[];
}

export interface ParseEmployerCsvOptions {
  /** Called once with the header, before the first row (see ImportHeaderInfo.errors). */
  onHeader?: (header: ImportHeaderInfo) => void;
  /** Maps a municipality name (as written in the file) to its 4-digit kommunkod. */
  municipalityLookup?: (name: string) => string | null;
  /** Skip detection and decode as this encoding. */
  encoding?: CsvEncoding;
  /** Flag rows that repeat an earlier row of the file (`duplicateOf`). Default true. */
  detectDuplicates?: boolean;
}

export type CsvImportErrorCode =
  'empty_file' | 'missing_name_column' | 'unsupported_encoding' | 'malformed_csv';

/** The file as a whole cannot be imported. Rows yielded before it stay valid. */
export class CsvImportError extends Error {
  constructor(
    readonly code: CsvImportErrorCode,
    message: string,
    /** 1-based file line where the problem starts, when known. */
    readonly line: number | null = null,
    readonly header: ImportHeaderInfo | null = null,
  ) {
    super(message);
    this.name = 'CsvImportError';
  }
}

// ---------------------------------------------------------------------------
// Limits (columns of `employer` and `contact_person`)

export const MAX_LENGTHS = {
  name: 200,
  unitName: 200,
  address: 300,
  website: 300,
  contactName: 200,
  contactEmail: 254,
  contactPhone: 40,
} as const;

/** No employer row is anywhere near this; a longer record is an unclosed quote. */
const MAX_RECORD_CHARS = 100_000;
/** Bytes looked at after the first non-ASCII byte before the encoding is decided. */
const SNIFF_LOOKAHEAD = 4096;
/** Text read ahead to find the header line. */
const MAX_HEADER_PEEK = 1 << 20;

// ---------------------------------------------------------------------------
// Folding and mapping

/** Lower-case, no diacritics, only [a-z0-9] and single spaces. */
function fold(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function headerKey(header: string): string {
  // "Bransch (SNI)", "Kommun (kod)": the bracket is a remark.
  const key = fold(header.replace(/\([^)]*\)/g, ' ')).replace(/ /g, '');
  return key !== '' ? key : fold(header).replace(/ /g, '');
}

const HEADER_SYNONYMS: Readonly<Record<EmployerCsvField, readonly string[]>> = {
  name: [
    'namn',
    'företagsnamn',
    'företag',
    'arbetsgivare',
    'arbetsgivarnamn',
    'organisationsnamn',
    'name',
    'company',
    'company name',
    'employer',
    'employer name',
  ],
  orgNumber: [
    'organisationsnummer',
    'organisationsnr',
    'orgnr',
    'org.nr',
    'org nr',
    'orgnummer',
    'organisation number',
    'organization number',
    'org_number',
    'org number',
    'org no',
  ],
  unitName: [
    'enhet',
    'enhetsnamn',
    'förvaltning',
    'arbetsplats',
    'avdelning',
    'unit',
    'unit name',
    'workplace',
    'department',
  ],
  sector: ['sektor', 'sector'],
  municipality: [
    'kommun',
    'kommunkod',
    'kommunnamn',
    'kommunnummer',
    'municipality',
    'municipality code',
  ],
  industry: ['sni', 'sni-kod', 'sni 2007', 'bransch', 'branschkod', 'industry', 'industry code'],
  address: ['adress', 'besöksadress', 'gatuadress', 'address', 'street address'],
  website: ['webbplats', 'hemsida', 'webbsida', 'webb', 'website', 'web', 'url', 'homepage'],
  contactName: [
    'kontaktperson',
    'kontakt',
    'kontaktnamn',
    'kontaktperson namn',
    'contact',
    'contact person',
    'contact name',
  ],
  contactEmail: [
    'e-post',
    'epost',
    'e-postadress',
    'mejl',
    'mejladress',
    'mail',
    'email',
    'e-mail',
    'email address',
    'kontaktperson e-post',
    'kontakt e-post',
    'contact email',
    'contact e-mail',
  ],
  contactPhone: [
    'telefon',
    'telefonnummer',
    'tel',
    'tel.nr',
    'mobil',
    'mobilnummer',
    'phone',
    'phone number',
    'telephone',
    'mobile',
    'kontaktperson telefon',
    'kontakt telefon',
    'contact phone',
  ],
  segments: ['segment', 'segments'],
};

const HEADER_INDEX: ReadonlyMap<string, EmployerCsvField> = new Map(
  EMPLOYER_CSV_FIELDS.flatMap((field) =>
    HEADER_SYNONYMS[field].map((synonym) => [headerKey(synonym), field] as const),
  ),
);

/** The canonical field a header cell names, or null. */
export function mapHeaderColumn(header: string): EmployerCsvField | null {
  return HEADER_INDEX.get(headerKey(header)) ?? null;
}

const SECTOR_SYNONYMS: Readonly<Record<ImportSector, readonly string[]>> = {
  private: ['privat', 'privat företag', 'privat sektor', 'näringsliv', 'private', 'private sector'],
  municipal_department: [
    'kommunal förvaltning',
    'kommunal',
    'kommun',
    'förvaltning',
    'municipal department',
    'municipal',
    'municipality',
  ],
  municipal_company: [
    'kommunalt bolag',
    'kommunalt företag',
    'kommunägt bolag',
    'municipal company',
    'municipally owned company',
  ],
  region: ['region', 'landsting', 'regional'],
  state: ['statlig', 'stat', 'staten', 'statlig myndighet', 'myndighet', 'state', 'government'],
  social_enterprise: [
    'socialt företag',
    'arbetsintegrerande socialt företag',
    'social enterprise',
    'work integration social enterprise',
  ],
  association: [
    'förening',
    'ideell förening',
    'idéburen organisation',
    'idéburen',
    'civilsamhälle',
    'association',
    'non-profit',
    'nonprofit',
    'civil society',
  ],
};

const SEGMENT_SYNONYMS: Readonly<Record<ImportSegment, readonly string[]>> = {
  shortage_occupation: ['bristyrke', 'bristyrken', 'shortage occupation', 'shortage occupations'],
  welfare_trainee_jobs: [
    'traineejobb i välfärden',
    'traineejobb inom välfärden',
    'välfärdstraineejobb',
    'traineejobb',
    'welfare trainee jobs',
    'welfare trainee job',
  ],
  small_business: ['småföretag', 'litet företag', 'small business', 'small businesses'],
  social_enterprise: ['socialt företag', 'arbetsintegrerande socialt företag', 'social enterprise'],
  iop_partner: ['iop-partner', 'iop', 'idéburet offentligt partnerskap', 'iop partner'],
};

function foldIndex<T extends string>(synonyms: Readonly<Record<T, readonly string[]>>) {
  const index = new Map<string, T>();
  for (const code of Object.keys(synonyms) as T[]) {
    index.set(fold(code), code); // `municipal_department` → "municipal department"
    for (const synonym of synonyms[code]) {
      index.set(fold(synonym), code);
    }
  }
  return index;
}

const SECTOR_INDEX = foldIndex(SECTOR_SYNONYMS);
const SEGMENT_INDEX = foldIndex(SEGMENT_SYNONYMS);

// ---------------------------------------------------------------------------
// Encoding and delimiter

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Length of `buf` without a multi-byte sequence cut off by the end of the chunk. */
function completeLength(buf: Buffer): number {
  const len = buf.length;
  for (let back = 1; back <= Math.min(3, len); back += 1) {
    const b = buf[len - back];
    if ((b & 0xc0) === 0x80) {
      continue; // continuation byte: keep looking for the lead
    }
    if (b >= 0xc2 && b <= 0xf4) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > back ? len - back : len;
    }
    return len;
  }
  return len;
}

function sniffEncoding(buf: Buffer, final: boolean): CsvEncoding {
  if (buf.length >= 3 && buf.subarray(0, 3).equals(UTF8_BOM)) {
    return 'utf-8';
  }
  const end = final ? buf.length : completeLength(buf);
  return isUtf8(buf.subarray(0, end)) ? 'utf-8' : 'windows-1252';
}

/**
 * Encoding of a CSV file from its first bytes: a UTF-8 BOM or valid UTF-8 (a multi-byte
 * sequence cut by the end of the chunk is fine) → `utf-8`; anything else → `windows-1252`.
 */
export function detectEncoding(firstChunk: Buffer): CsvEncoding {
  return sniffEncoding(firstChunk, false);
}

/**
 * The delimiter of a header line: whichever of `;`, `,` and TAB occurs most often outside
 * double quotes. Ties and a line with none (a single column) go to `;`, then TAB, then `,`:
 * Swedish Excel writes semicolons.
 */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  const counts = { ';': 0, '\t': 0, ',': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') {
      quoted = !quoted; // a doubled quote toggles twice: no net change
    } else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) {
      counts[ch] += 1;
    }
  }
  let best: CsvDelimiter = ';';
  for (const candidate of ['\t', ','] as const) {
    if (counts[candidate] > counts[best]) {
      best = candidate;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------
// CSV injection guard (shared with csv-export.ts)

// After the guard apostrophe comes something a spreadsheet could run, another apostrophe,
// nothing, or a leading TAB/CR. A user's own apostrophe before anything else ("'t Hooft")
// is not a guard and is kept.
const GUARDED_REST = /^\s*(?:[=+\-@']|$)|^[\t\r]/;
const FORMULA_START = /^[\t\r]|^\s*[=+\-@]/;

/**
 * Whether the export must prefix this cell with `'`: it starts with = + - @ TAB or CR (also
 * after leading spaces), or it would otherwise be read back as a guarded cell. Together
 * with `unguardCell` this round-trips every string up to surrounding whitespace.
 */
export function needsFormulaGuard(value: string): boolean {
  if (FORMULA_START.test(value)) {
    return true;
  }
  const trimmed = value.trim();
  return trimmed.startsWith("'") && GUARDED_REST.test(trimmed.slice(1));
}

/** Undoes the export's guard apostrophe on a trimmed cell. */
export function unguardCell(trimmed: string): string {
  if (trimmed.startsWith("'") && GUARDED_REST.test(trimmed.slice(1))) {
    return trimmed.slice(1).trim();
  }
  return trimmed;
}

// ---------------------------------------------------------------------------
// Field validation

// Län codes in use since 1998: the first two digits of every kommunkod.
const COUNTY_CODES = new Set([
  '01',
  '03',
  '04',
  '05',
  '06',
  '07',
  '08',
  '09',
  '10',
  '12',
  '13',
  '14',
  '17',
  '18',
  '19',
  '20',
  '21',
  '22',
  '23',
  '24',
  '25',
]);

/** A plausible kommunkod: 4 digits, a county that exists, municipality part ≥ 01. */
export function isMunicipalityCode(value: string): boolean {
  return /^\d{4}$/.test(value) && COUNTY_CODES.has(value.slice(0, 2)) && value.slice(2) !== '00';
}

const codePoints = (s: string) => [...s].length;

const MASKED_PERSONNUMMER = /^(?:\d{2})?\d{6}\s*[-+]?\s*(?:[xX*]{4})$/;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const URL_FORBIDDEN = /[\s"<>\\^`{|}\p{Cc}]/u;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function normalizeWebsite(value: string): string | null {
  if (URL_FORBIDDEN.test(value)) {
    return null;
  }
  const withScheme = HAS_SCHEME.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return null;
  }
  if (url.username !== '' || url.password !== '') {
    return null; // "mailto:a@b.se" would otherwise pass as https://mailto:a@b.se
  }
  const labels = url.hostname.split('.');
  if (labels.length < 2 || labels.some((l) => l === '')) {
    return null;
  }
  return TOP_LEVEL_DOMAIN.test(labels[labels.length - 1]) ? withScheme : null;
}

/** SNI 2007: 2–5 digits, with or without SCB's dot after the division. */
function normalizeSni(value: string): string | null {
  const digits = value.replace(/[\s.]/g, '');
  if (!/^\d{2,5}$/.test(digits)) {
    return null;
  }
  return digits.length === 2 ? digits : `${digits.slice(0, 2)}.${digits.slice(2)}`;
}

/** A cell quoted in an error message: short, and never a personnummer (messages get logged). */
function quoteCell(value: string): string {
  const masked = maskPersonalNumbersInText(value);
  return JSON.stringify(masked.length > 60 ? `${masked.slice(0, 57)}...` : masked);
}

function listOf(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([code, sv]) => `${sv} (${code})`)
    .join(', ');
}

type Cells = (field: EmployerCsvField) => string;

function validateRow(
  get: Cells,
  options: ParseEmployerCsvOptions,
): { data?: EmployerImportData; errors: ImportFieldError[] } {
  const errors: ImportFieldError[] = [];
  const fail = (field: EmployerCsvField, message: string) => errors.push({ field, message });
  const text = (field: keyof typeof MAX_LENGTHS & EmployerCsvField): string | null => {
    const value = get(field);
    if (value === '') {
      return null;
    }
    if (codePoints(value) > MAX_LENGTHS[field]) {
      fail(field, `must be at most ${MAX_LENGTHS[field]} characters`);
    }
    return value;
  };

  const name = text('name');
  if (name === null) {
    fail('name', 'name is required');
  }
  const unitName = text('unitName');
  const address = text('address');

  let orgNumber: string | null = null;
  let orgNumberIsPersonnummer = false;
  const orgRaw = get('orgNumber');
  if (orgRaw !== '') {
    const parsed = normalizeOrgNumber(orgRaw);
    if (parsed) {
      orgNumber = parsed.value;
      orgNumberIsPersonnummer = parsed.isPersonnummer;
    } else if (MASKED_PERSONNUMMER.test(orgRaw)) {
      fail(
        'orgNumber',
        'not a valid organisation number: a masked personnummer (sole trader) — enter the full number or leave the cell empty',
      );
    } else {
      fail('orgNumber', 'not a valid organisation number');
    }
  }

  let sector: ImportSector = 'private';
  const sectorRaw = get('sector');
  if (sectorRaw !== '') {
    const mapped = SECTOR_INDEX.get(fold(sectorRaw));
    if (mapped) {
      sector = mapped;
    } else {
      fail(
        'sector',
        `unknown sector ${quoteCell(sectorRaw)}; use one of: ${listOf(SECTOR_LABELS_SV)}`,
      );
    }
  }

  let municipality: string | null = null;
  const municipalityRaw = get('municipality');
  if (municipalityRaw !== '') {
    // Excel turns 0180 into 180: every county code below 10 starts with a zero.
    const code = /^\d{3}$/.test(municipalityRaw) ? `0${municipalityRaw}` : municipalityRaw;
    if (/^\d+$/.test(code)) {
      if (isMunicipalityCode(code)) {
        municipality = code;
      } else {
        fail('municipality', 'not a valid kommunkod (4 digits, e.g. 1285)');
      }
    } else {
      const looked = options.municipalityLookup?.(municipalityRaw) ?? null;
      if (looked !== null && isMunicipalityCode(looked)) {
        municipality = looked;
      } else {
        fail(
          'municipality',
          `unknown municipality ${quoteCell(municipalityRaw)}; use the 4-digit kommunkod (e.g. 1285)`,
        );
      }
    }
  }

  let industry: string | null = null;
  const industryRaw = get('industry');
  if (industryRaw !== '') {
    industry = normalizeSni(industryRaw);
    if (industry === null) {
      fail('industry', 'industry must be an SNI code, e.g. 56.100');
    }
  }

  let website: string | null = null;
  const websiteRaw = get('website');
  if (websiteRaw !== '') {
    website = normalizeWebsite(websiteRaw);
    if (website === null) {
      fail('website', 'website must be a web address, e.g. https://example.se');
    } else if (codePoints(website) > MAX_LENGTHS.website) {
      fail('website', `must be at most ${MAX_LENGTHS.website} characters`);
    }
  }

  const segments: ImportSegment[] = [];
  for (const part of get('segments').split(/[,|;]/)) {
    const label = part.trim();
    if (label === '') {
      continue;
    }
    const segment = SEGMENT_INDEX.get(fold(label));
    if (!segment) {
      fail(
        'segments',
        `unknown segment ${quoteCell(label)}; use one of: ${listOf(SEGMENT_LABELS_SV)}`,
      );
    } else if (!segments.includes(segment)) {
      segments.push(segment);
    }
  }

  const contactName = text('contactName');
  const contactEmail = text('contactEmail');
  if (contactEmail !== null && !isStrictEmail(contactEmail)) {
    fail('contactEmail', 'not a valid email address');
  }
  const contactPhone = text('contactPhone');
  if (contactPhone !== null && (contactPhone.match(/\d/g) ?? []).length < 5) {
    fail('contactPhone', 'not a phone number');
  }

  if (errors.length > 0 || name === null) {
    return { errors };
  }
  const data: EmployerImportData = {
    name,
    orgNumber,
    orgNumberIsPersonnummer,
    unitName,
    sector,
    municipality,
    industry,
    address,
    website,
    segments,
  };
  if (contactName !== null || contactEmail !== null || contactPhone !== null) {
    data.contact = { name: contactName, email: contactEmail, phone: contactPhone };
  }
  return { data, errors };
}

// ---------------------------------------------------------------------------
// Bytes → text

type ByteSource = NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array | string>;

async function* bytesOf(input: ByteSource): AsyncGenerator<Buffer> {
  for await (const chunk of input as AsyncIterable<unknown>) {
    if (Buffer.isBuffer(chunk)) {
      yield chunk;
    } else if (chunk instanceof Uint8Array) {
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } else if (typeof chunk === 'string') {
      yield Buffer.from(chunk, 'utf8'); // someone called setEncoding(): already decoded
    } else {
      throw new TypeError('parseEmployerCsv: the input must yield Buffers');
    }
  }
}

function firstNonAscii(buf: Buffer): number {
  for (let i = 0; i < buf.length; i += 1) {
    if (buf[i] >= 0x80) {
      return i;
    }
  }
  return -1;
}

function refuseUtf16(buf: Buffer): void {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new CsvImportError(
      'unsupported_encoding',
      'the file is UTF-16 (Excel "Unicode text"); save it as "CSV UTF-8" or "CSV (semikolonavgränsad)"',
      null,
    );
  }
}

interface DecodeState {
  encoding: CsvEncoding | null;
}

/**
 * ASCII passes straight through (it reads the same in both encodings); at the first
 * non-ASCII byte, SNIFF_LOOKAHEAD bytes from there decide, and an iconv-lite decoder takes
 * over. Memory: at most one chunk plus the lookahead.
 */
async function* decodeToText(
  bytes: AsyncIterable<Buffer>,
  state: DecodeState,
  forced: CsvEncoding | undefined,
): AsyncGenerator<string> {
  let decoder = forced ? iconv.getDecoder(forced) : null;
  state.encoding = forced ?? null;
  let held: Buffer | null = null;
  let atStart = true;
  const start = (buf: Buffer, final: boolean) => {
    state.encoding = sniffEncoding(buf, final);
    decoder = iconv.getDecoder(state.encoding);
    return decoder.write(buf);
  };
  for await (const chunk of bytes) {
    if (decoder !== null) {
      const text = (decoder as iconv.DecoderStream).write(chunk);
      if (text) {
        yield text;
      }
      continue;
    }
    const buf: Buffer = held ? Buffer.concat([held, chunk]) : chunk;
    held = null;
    if (atStart) {
      if (buf.length < 2) {
        held = buf;
        continue;
      }
      refuseUtf16(buf);
      atStart = false;
    }
    const high = firstNonAscii(buf);
    if (high === -1) {
      yield buf.toString('latin1');
      continue;
    }
    if (high > 0) {
      yield buf.toString('latin1', 0, high);
    }
    const tail = buf.subarray(high);
    if (tail.length < SNIFF_LOOKAHEAD && !tail.subarray(0, 3).equals(UTF8_BOM)) {
      held = tail;
      continue;
    }
    const text = start(tail, false);
    if (text) {
      yield text;
    }
  }
  if (decoder === null) {
    if (held === null || held.length === 0) {
      return;
    }
    if (atStart) {
      refuseUtf16(held);
    }
    const text = start(held, true);
    if (text) {
      yield text;
    }
  }
  const rest = (decoder as iconv.DecoderStream | null)?.end();
  if (rest) {
    yield rest;
  }
}

// ---------------------------------------------------------------------------
// Header line

const SEP_LINE = /^"?sep=([^"\r\n]?)"?[;,\t]*[ \t]*(\r\n|\n|\r|$)/i;

interface HeadInfo {
  /** Characters to drop from the start of the text (BOM and `sep=` line). */
  skip: number;
  sepLine: boolean;
  delimiter: CsvDelimiter;
}

/** Null while more text is needed to see the header line. */
function inspectHead(head: string, ended: boolean): HeadInfo | null {
  let skip = head.startsWith('\uFEFF') ? 1 : 0;
  let sep: string | null = null;
  const body = head.slice(skip);
  if (/^"?sep=/i.test(body)) {
    const m = SEP_LINE.exec(body);
    const needMore = !m || m[2] === '' || (m[2] === '\r' && m[0].length === body.length);
    if (needMore && !ended && head.length < MAX_HEADER_PEEK) {
      return null;
    }
    if (m) {
      sep = m[1];
      skip += m[0].length;
    }
  }
  const rest = head.slice(skip);
  const lineRe = /([^\r\n]*)(?:\r\n|\n|\r)/g;
  let headerLine: string | null = null;
  let consumed = 0;
  for (let m = lineRe.exec(rest); m !== null; m = lineRe.exec(rest)) {
    consumed = lineRe.lastIndex;
    if (m[1].trim() !== '') {
      headerLine = m[1];
      break;
    }
  }
  if (headerLine === null) {
    if (!ended && head.length < MAX_HEADER_PEEK) {
      return null;
    }
    headerLine = rest.slice(consumed);
  }
  const delimiter = sep === ';' || sep === ',' || sep === '\t' ? sep : detectDelimiter(headerLine);
  return { skip, sepLine: sep !== null, delimiter };
}

// ---------------------------------------------------------------------------
// Header mapping

interface HeaderMapping {
  info: ImportHeaderInfo;
  keys: string[];
  /** Field → column indexes feeding it, first one first. */
  sources: Map<EmployerCsvField, number[]>;
}

function mapHeader(
  cells: string[],
  base: Pick<ImportHeaderInfo, 'encoding' | 'delimiter' | 'sepLine' | 'line'>,
): HeaderMapping {
  const columns: ImportHeaderColumn[] = [];
  const mapped: Partial<Record<EmployerCsvField, string>> = {};
  const unknown: string[] = [];
  const duplicates: string[] = [];
  const sources = new Map<EmployerCsvField, number[]>();
  const keys: string[] = [];
  const usedKeys = new Set<string>();
  cells.forEach((cell, index) => {
    const header = cell.trim();
    let key = header === '' ? `Column ${index + 1}` : header;
    if (usedKeys.has(key)) {
      key = `${key} (${index + 1})`;
    }
    usedKeys.add(key);
    keys.push(key);
    if (header === '') {
      columns.push({ index, header, field: null });
      return;
    }
    const field = mapHeaderColumn(header);
    if (field === null) {
      unknown.push(header);
      columns.push({ index, header, field: null });
    } else if (sources.has(field)) {
      duplicates.push(header);
      sources.get(field)?.push(index);
      columns.push({ index, header, field: null });
    } else {
      mapped[field] = header;
      sources.set(field, [index]);
      columns.push({ index, header, field });
    }
  });
  const errors: ImportFieldError[] = [];
  if (!sources.has('name')) {
    errors.push({
      field: 'name',
      message: 'no column for the employer name (e.g. "Namn" or "Name")',
    });
  }
  return {
    info: { ...base, columns, mapped, unknown, duplicates, errors },
    keys,
    sources,
  };
}

// ---------------------------------------------------------------------------
// Within-file duplicates

interface SeenRow {
  line: number;
  orgNumber: string | null;
  municipality: string | null;
}

class InFileDuplicates {
  private readonly byOrgUnit = new Map<string, number>();
  private readonly byName = new Map<string, SeenRow[]>();

  check(line: number, d: EmployerImportData): ImportRow['duplicateOf'] {
    const unit = normalizeUnitName(d.unitName);
    let hit: ImportRow['duplicateOf'];
    if (d.orgNumber !== null) {
      const key = `${d.orgNumber}|${unit}`;
      const first = this.byOrgUnit.get(key);
      if (first !== undefined) {
        hit = { line: first, reason: 'same_org_number_and_unit' };
      } else {
        this.byOrgUnit.set(key, line);
      }
    }
    const name = normalizeEmployerName(d.name);
    if (name === '') {
      return hit;
    }
    const key = `${name}|${unit}`;
    const seen = this.byName.get(key);
    if (!seen) {
      this.byName.set(key, [{ line, orgNumber: d.orgNumber, municipality: d.municipality }]);
      return hit;
    }
    // Two valid, different org numbers or two different municipalities: two employers.
    const match = seen.find(
      (s) =>
        (s.orgNumber === null || d.orgNumber === null || s.orgNumber === d.orgNumber) &&
        (s.municipality === null || d.municipality === null || s.municipality === d.municipality),
    );
    if (!match) {
      seen.push({ line, orgNumber: d.orgNumber, municipality: d.municipality });
    }
    return hit ?? (match ? { line: match.line, reason: 'same_normalized_name' } : undefined);
  }
}

// ---------------------------------------------------------------------------
// The parser

const countOf = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

interface ParsedRecord {
  record: string[];
  info: Info;
}

/**
 * The parser's records, then its error. Unlike the stream's own async iterator, which throws
 * as soon as the stream fails, this first hands out the records parsed before the failure,
 * so the rows above a broken line are still reported.
 */
async function* recordsOf(parser: Parser): AsyncGenerator<ParsedRecord> {
  let failure: unknown = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  parser.on('readable', poke);
  parser.on('end', () => {
    ended = true;
    poke();
  });
  parser.on('error', (err: unknown) => {
    failure = err;
    poke();
  });
  for (;;) {
    for (let item = parser.read() as ParsedRecord | null; item !== null; item = parser.read()) {
      yield item;
    }
    if (failure !== null) {
      throw failure;
    }
    if (ended) {
      return;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

function malformedMessage(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after a closing quote (write "" for a quote inside a quoted value)';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)`;
    default:
      return maskPersonalNumbersInText(err.message); // csv-parse may quote the cell
  }
}

/**
 * Reads an employer CSV as a stream and yields one `ImportRow` per data row (blank rows and
 * rows of empty cells are skipped). See the module comment for encodings, `sep=`, errors.
 *
 * @throws CsvImportError for an empty file, a header without a name column, UTF-16 input, or
 *   broken quoting (after yielding the rows before it); errors of the input stream as they are.
 */
export async function* parseEmployerCsv(
  input: ByteSource,
  opts: ParseEmployerCsvOptions = {},
): AsyncGenerator<ImportRow, void, undefined> {
  const state: DecodeState = { encoding: null };
  const text = decodeToText(bytesOf(input), state, opts.encoding);

  let head = '';
  let ended = false;
  let headInfo = inspectHead(head, ended);
  while (headInfo === null) {
    const next = await text.next();
    if (next.done) {
      ended = true;
    } else {
      head += next.value;
    }
    headInfo = inspectHead(head, ended);
  }
  const { skip, sepLine, delimiter } = headInfo;
  const lineOffset = sepLine ? 1 : 0;
  const headerBase = () => ({
    encoding: state.encoding ?? 'utf-8',
    delimiter,
    sepLine,
  });
  const emptyFile = (): CsvImportError => {
    const info: ImportHeaderInfo = {
      ...headerBase(),
      line: 0,
      columns: [],
      mapped: {},
      unknown: [],
      duplicates: [],
      errors: [{ field: 'row', message: 'the file is empty: expected a header line' }],
    };
    opts.onHeader?.(info);
    return new CsvImportError('empty_file', info.errors[0].message, null, info);
  };

  const body = head.slice(skip);
  async function* feed(): AsyncGenerator<string> {
    if (body !== '') {
      yield body;
    }
    for await (const chunk of text) {
      yield chunk;
    }
  }

  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    // Explicit, so a file with mixed line ends (edited on two systems) still splits right.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_RECORD_CHARS,
    info: true,
  });
  const source = Readable.from(feed(), { objectMode: false });
  // Errors surface through the iteration below; the callback only keeps them handled.
  pipeline(source, parser, () => undefined);

  let mapping: HeaderMapping | null = null;
  const duplicates = opts.detectDuplicates === false ? null : new InFileDuplicates();
  // csv-parse counts a CRLF inside a quoted value as two lines; undo that.
  let quotedCrlfs = 0;
  let lastEndLine = lineOffset;
  try {
    for await (const item of recordsOf(parser)) {
      const { record, info } = item;
      let breaks = 0;
      for (const value of record) {
        if (value.includes('\n') || value.includes('\r')) {
          quotedCrlfs += countOf(value, /\r\n/g);
          breaks += countOf(value, /\r\n|\r|\n/g);
        }
      }
      const endLine = info.lines - quotedCrlfs + lineOffset;
      const line = endLine - breaks;
      lastEndLine = endLine;
      const cells = record.map((v) => v.trim());
      if (cells.every((v) => v === '')) {
        continue; // ";;;;" rows that Excel leaves behind
      }

      if (mapping === null) {
        mapping = mapHeader(cells, { ...headerBase(), line });
        opts.onHeader?.(mapping.info);
        if (mapping.info.errors.length > 0) {
          throw new CsvImportError(
            'missing_name_column',
            mapping.info.errors[0].message,
            line,
            mapping.info,
          );
        }
        continue;
      }

      const { keys, sources } = mapping;
      const raw: Record<string, string> = {};
      keys.forEach((key, i) => {
        raw[key] = cells[i] ?? '';
      });
      const errors: ImportFieldError[] = [];
      if (cells.length > keys.length) {
        const extra = cells.slice(keys.length);
        extra.forEach((value, i) => {
          raw[`Column ${keys.length + i + 1}`] = value;
        });
        if (extra.some((v) => v !== '')) {
          // The values are shifted: field messages would only mislead.
          errors.push({
            field: 'row',
            message: `the row has ${cells.length} values but the header has ${keys.length} columns (an unquoted "${delimiter === '\t' ? 'TAB' : delimiter}" inside a value?)`,
          });
          yield { line, raw, errors };
          continue;
        }
      }
      const get: Cells = (field) => {
        for (const index of sources.get(field) ?? []) {
          const value = unguardCell(cells[index] ?? '');
          if (value !== '') {
            return value;
          }
        }
        return '';
      };
      const result = validateRow(get, opts);
      errors.push(...result.errors);
      const row: ImportRow = { line, raw, errors };
      if (errors.length === 0 && result.data) {
        row.data = result.data;
        const dup = duplicates?.check(line, result.data);
        if (dup) {
          row.duplicateOf = dup;
        }
      }
      yield row;
    }
  } catch (err) {
    if (err instanceof CsvError) {
      throw new CsvImportError(
        'malformed_csv',
        `malformed CSV from line ${lastEndLine + 1}: ${malformedMessage(err)}`,
        lastEndLine + 1,
        mapping?.info ?? null,
      );
    }
    throw err;
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (mapping === null) {
    throw emptyFile();
  }
}
