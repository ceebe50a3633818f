import { assertIdentifier, sqlInteger } from '../../sql-text';

/** `` `name` `` with embedded backticks doubled: the only way an identifier reaches MySQL/MariaDB SQL text. */
export function quoteIdent(identifier: string): string {
  assertIdentifier(identifier);
  return `\`${identifier.replace(/`/g, '``')}\``;
}

export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A string literal as UTF-8 hex. Scripts cannot carry bind parameters, and a quoted literal means
 * different things with and without `NO_BACKSLASH_ESCAPES`; a hex literal reads the same in every sql_mode.
 */
export function textLiteral(value: string): string {
  return `CONVERT(X'${Buffer.from(value, 'utf8').toString('hex')}' USING utf8mb4)`;
}

export { sqlInteger };

/** `?, ?, ?` for a list bound as parameters (MySQL has no array parameters). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * The name of a sequence in a column default, as MariaDB's information_schema writes it:
 * ``nextval(`db`.`seq`)``, and the SQL-standard `NEXT VALUE FOR db.seq` some versions echo back.
 * Anything else — an expression around nextval, a function call — is not a plain feed and returns null.
 */
export function parseSequenceDefault(columnDefault: string | null): { schema: string | null; name: string } | null {
  if (columnDefault === null) return null;
  const text = columnDefault.trim();
  const call = /^nextval\s*\(([\s\S]*)\)$/i.exec(text);
  const standard = /^next\s+value\s+for\s+([\s\S]*)$/i.exec(text);
  const body = (call?.[1] ?? standard?.[1])?.trim();
  if (body === undefined) return null;
  const parts: string[] = [];
  let index = 0;
  for (;;) {
    const parsed = readIdentifier(body, index);
    if (parsed === null) return null;
    parts.push(parsed.name);
    index = parsed.end;
    while (body[index] === ' ') index += 1;
    if (index === body.length) break;
    if (body[index] !== '.' || parts.length === 2) return null;
    index += 1;
    while (body[index] === ' ') index += 1;
  }
  return parts.length === 1 ? { schema: null, name: parts[0] } : { schema: parts[0], name: parts[1] };
}

function readIdentifier(text: string, start: number): { name: string; end: number } | null {
  if (text[start] === '`') {
    let name = '';
    let index = start + 1;
    for (;;) {
      if (index >= text.length) return null;
      if (text[index] === '`') {
        if (text[index + 1] === '`') { name += '`'; index += 2; continue; }
        return name.length === 0 ? null : { name, end: index + 1 };
      }
      name += text[index];
      index += 1;
    }
  }
  const bare = /^[0-9A-Za-z_$\u0080-\uFFFF]+/.exec(text.slice(start));
  return bare === null ? null : { name: bare[0], end: start + bare[0].length };
}
