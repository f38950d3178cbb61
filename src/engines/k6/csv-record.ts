/**
 * RFC 4180 records as Go's encoding/csv writes them (k6's CSV output): fields are quoted only when they hold a
 * comma, a quote or a line break, and a quote inside is doubled. A quoted field may span lines.
 */

/** True when `text` leaves a quoted field open (odd number of quotes): the record continues on the next line. */
export function opensQuotedField(text: string): boolean {
  let open = false;
  let i = text.indexOf('"');
  while (i !== -1) {
    open = !open;
    i = text.indexOf('"', i + 1);
  }
  return open;
}

export function splitCsvRecord(record: string): string[] {
  if (!record.includes('"')) return record.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (record.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = record.indexOf('"', j);
        if (q === -1) throw new Error('unterminated quoted field');
        value += record.slice(j, q);
        if (record.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      fields.push(value);
      if (j >= record.length) return fields;
      if (record.charCodeAt(j) !== 44 /* , */)
        throw new Error(`unexpected character after a quoted field at column ${j + 1}`);
      i = j + 1;
    } else {
      const c = record.indexOf(',', i);
      if (c === -1) {
        fields.push(record.slice(i));
        return fields;
      }
      fields.push(record.slice(i, c));
      i = c + 1;
    }
  }
}

/** Whether k6's `extra_tags` column (`k=v&k=v`, in any order) holds exactly the tag `name=value`. */
export function hasExtraTag(extraTags: string, name: string, value: string): boolean {
  const item = `${name}=${value}`;
  let at = extraTags.indexOf(item);
  while (at !== -1) {
    const end = at + item.length;
    if (
      (at === 0 || extraTags.charCodeAt(at - 1) === 38) /* & */ &&
      (end === extraTags.length || extraTags.charCodeAt(end) === 38)
    )
      return true;
    at = extraTags.indexOf(item, at + 1);
  }
  return false;
}
