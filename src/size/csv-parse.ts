/**
 * A small RFC 4180 CSV reader: quoted fields with "" escapes and embedded commas or line breaks, CRLF or LF,
 * a UTF-8 byte-order mark at the start ignored. Returns records with the line each one starts on.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export function parseCsv(text: string): { records: CsvRecord[]; error: string | null } {
  const s = text.startsWith('\ufeff') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted) return { records, error: `line ${recordLine}: a quoted field is never closed` };
  if (field !== '' || fields.length > 0) endRecord();
  return { records, error: null };
}
