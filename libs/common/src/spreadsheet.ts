/**
 * A text cell of an exported spreadsheet (XLSX or CSV), safe from formula injection: a value
 * starting with = + - @, a tab or a carriage return would be run as a formula by Excel or WPS, so
 * it gets a leading apostrophe and is shown as the text it is (OWASP "CSV injection").
 */
export function spreadsheetText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
