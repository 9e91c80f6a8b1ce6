/**
 * Employer CSV export: a UTF-8 (with BOM) semicolon file with CRLF line ends, which Swedish
 * Excel opens directly and `parseEmployerCsv` reads back to the same data.
 *
 * - Quoting: a cell with `;` `,` `"` TAB CR LF, or with leading/trailing whitespace, is quoted
 *   and its quotes doubled.
 * - CSV injection: a cell starting with = + - @ TAB or CR (also after spaces) gets a leading
 *   `'`, so no spreadsheet runs it as a formula; the import removes exactly that apostrophe
 *   (see `needsFormulaGuard` / `unguardCell`).
 * - A sole trader's org number is a personnummer and leaves the system masked
 *   (`800101-XXXX`); re-importing such a row asks for the full number.
 * - No `sep=;` line: with it, Excel ignores the BOM and misreads UTF-8.
 */
import { formatOrgNumber, maskOrgNumber, normalizeOrgNumber } from '../common/identity-numbers';
import {
  type EmployerCsvField,
  type ImportSector,
  type ImportSegment,
  SECTOR_LABELS_SV,
  SEGMENT_LABELS_SV,
  needsFormulaGuard,
} from './csv-import';

export type ExportLocale = 'sv' | 'en';

/** What the export needs of an employer; `EmployerImportData` and the entity both fit. */
export interface ExportRow {
  name: string;
  orgNumber?: string | null;
  orgNumberIsPersonnummer?: boolean | null;
  unitName?: string | null;
  sector?: string | null;
  municipality?: string | null;
  industry?: string | null;
  address?: string | null;
  website?: string | null;
  segments?: readonly string[] | null;
  contact?: { name?: string | null; email?: string | null; phone?: string | null } | null;
}

/** Column order of the export; the import maps every one of these headers back. */
export const EXPORT_COLUMNS: readonly EmployerCsvField[] = [
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
];

export const EXPORT_HEADERS: Readonly<Record<ExportLocale, Record<EmployerCsvField, string>>> = {
  sv: {
    name: 'Namn',
    orgNumber: 'Organisationsnummer',
    unitName: 'Enhet',
    sector: 'Sektor',
    municipality: 'Kommun',
    industry: 'Bransch (SNI)',
    address: 'Adress',
    website: 'Webbplats',
    segments: 'Segment',
    contactName: 'Kontaktperson',
    contactEmail: 'E-post',
    contactPhone: 'Telefon',
  },
  en: {
    name: 'Name',
    orgNumber: 'Organisation number',
    unitName: 'Unit',
    sector: 'Sector',
    municipality: 'Municipality',
    industry: 'Industry (SNI)',
    address: 'Address',
    website: 'Website',
    segments: 'Segments',
    contactName: 'Contact person',
    contactEmail: 'Email',
    contactPhone: 'Phone',
  },
};

const NEEDS_QUOTES = /[;,"\t\r\n]|^\s|\s$/;

/** One cell: formula guard first, then quoting. */
export function formatCsvCell(value: string | null | undefined): string {
  let cell = value ?? '';
  if (needsFormulaGuard(cell)) {
    cell = `'${cell}`;
  }
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Masked unless clearly a company: the flag, a parse as personnummer, or a third digit below
 * 2 (organisation numbers have ≥ 20 there, birth months never do) each suffice, so a stale
 * flag or an odd stored value never leaks a personnummer.
 */
function exportOrgNumber(row: ExportRow): string {
  const value = row.orgNumber ?? '';
  if (value === '') {
    return '';
  }
  const digits = value.replace(/\D/g, '');
  const looksPersonal =
    row.orgNumberIsPersonnummer === true ||
    normalizeOrgNumber(value)?.isPersonnummer === true ||
    (digits.length === 10 && digits[2] < '2');
  if (looksPersonal) {
    return maskOrgNumber(digits.length === 10 ? digits : value, true);
  }
  return formatOrgNumber(digits.length === 10 ? digits : value);
}

function label<T extends string>(
  labels: Readonly<Record<T, string>>,
  code: string,
  locale: ExportLocale,
): string {
  if (locale === 'sv' && Object.prototype.hasOwnProperty.call(labels, code)) {
    return labels[code as T];
  }
  return code;
}

function cellsOf(row: ExportRow, locale: ExportLocale): Record<EmployerCsvField, string> {
  return {
    name: row.name,
    orgNumber: exportOrgNumber(row),
    unitName: row.unitName ?? '',
    sector: row.sector ? label<ImportSector>(SECTOR_LABELS_SV, row.sector, locale) : '',
    municipality: row.municipality ?? '',
    industry: row.industry ?? '',
    address: row.address ?? '',
    website: row.website ?? '',
    segments: (row.segments ?? [])
      .map((s) => label<ImportSegment>(SEGMENT_LABELS_SV, s, locale))
      .join(', '),
    contactName: row.contact?.name ?? '',
    contactEmail: row.contact?.email ?? '',
    contactPhone: row.contact?.phone ?? '',
  };
}

/** One data line without its line end. */
export function employerToCsvLine(row: ExportRow, locale: ExportLocale = 'sv'): string {
  const cells = cellsOf(row, locale);
  return EXPORT_COLUMNS.map((field) => formatCsvCell(cells[field])).join(';');
}

/**
 * The export, one string at a time: BOM + header line first, then one CRLF-terminated line
 * per employer. Pulls `rows` lazily, so a database cursor streams straight to the response.
 */
export async function* employersToCsv(
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>,
  locale: ExportLocale = 'sv',
): AsyncGenerator<string, void, undefined> {
  const headers = EXPORT_HEADERS[locale];
  yield `\uFEFF${EXPORT_COLUMNS.map((field) => formatCsvCell(headers[field])).join(';')}\r\n`;
  for await (const row of rows) {
    yield `${employerToCsvLine(row, locale)}\r\n`;
  }
}
