import { SeqsyncError } from '../../errors';
import { quoteDoubleQuoted, sqlInteger } from '../../sql-text';

/** The only way an identifier reaches SQLite SQL text. */
export const quoteIdent = quoteDoubleQuoted;

export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** `'text'` with quotes doubled; SQLite has no backslash escapes, so this is the whole rule. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new SeqsyncError('INVALID_OPTION', `invalid literal ${JSON.stringify(value)}: contains NUL`);
  return `'${value.replace(/'/g, "''")}'`;
}

export { sqlInteger };

/**
 * The keywords of a CREATE TABLE statement that decide its key: whether it says AUTOINCREMENT and whether
 * it is WITHOUT ROWID. SQLite keeps no catalog flag for either, only the statement text, so the text is
 * tokenized — string literals, quoted identifiers ("…", `…`, […]) and comments are skipped, so a column
 * named "autoincrement" or a comment mentioning it does not count.
 */
export function createTableKeywords(sql: string): { autoincrement: boolean; withoutRowid: boolean } {
  const words: string[] = [];
  let index = 0;
  while (index < sql.length) {
    const char = sql[index];
    if (char === "'" || char === '"' || char === '`') {
      index = skipQuoted(sql, index, char);
    } else if (char === '[') {
      const end = sql.indexOf(']', index + 1);
      index = end === -1 ? sql.length : end + 1;
    } else if (char === '-' && sql[index + 1] === '-') {
      const end = sql.indexOf('\n', index);
      index = end === -1 ? sql.length : end + 1;
    } else if (char === '/' && sql[index + 1] === '*') {
      const end = sql.indexOf('*/', index + 2);
      index = end === -1 ? sql.length : end + 2;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(index))![0];
      words.push(word.toUpperCase());
      index += word.length;
    } else {
      index += 1;
    }
  }
  const withoutAt = words.lastIndexOf('WITHOUT');
  return { autoincrement: words.includes('AUTOINCREMENT'), withoutRowid: withoutAt !== -1 && words[withoutAt + 1] === 'ROWID' };
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let index = start + 1;
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] === quote) { index += 2; continue; }
      return index + 1;
    }
    index += 1;
  }
  return sql.length;
}
