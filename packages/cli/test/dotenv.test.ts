import { parseDotenv } from '../src/dotenv';
import { UsageError } from '../src/args';

/** .env read as dotenv (Prisma, drizzle-kit) reads it, so one file gives every tool the same DATABASE_URL. */
describe('parseDotenv', () => {
  const valueOf = (text: string, key = 'DATABASE_URL') => parseDotenv(text, './.env').get(key)?.value;

  it.each([
    ['DATABASE_URL=postgres://u@h/db', 'postgres://u@h/db'],
    ['export DATABASE_URL=postgres://u@h/db', 'postgres://u@h/db'],
    ['  export   DATABASE_URL  =   postgres://u@h/db   ', 'postgres://u@h/db'],
    ['DATABASE_URL=postgres://u@h/db # the dev database', 'postgres://u@h/db'],
    ['DATABASE_URL=postgres://u:pa#ss@h/db', 'postgres://u:pa'],
    ['DATABASE_URL="postgres://u:pa#ss@h/db" # quoted: # is kept', 'postgres://u:pa#ss@h/db'],
    // Text after the closing quote: dotenv reads the whole line unquoted and drops the outer quotes.
    ["DATABASE_URL='postgres://u:it''s@h/db'", "postgres://u:it''s@h/db"],
    ["DATABASE_URL='postgres://u:p\\n@h/db'", 'postgres://u:p\\n@h/db'],
    ['DATABASE_URL="line\\none"', 'line\none'],
    ['DATABASE_URL=`postgres://u:"q"@h/db`', 'postgres://u:"q"@h/db'],
    ['DATABASE_URL="a \\" b"', 'a \\" b'],
    ['DATABASE_URL= "  spaced  "', '  spaced  '],
    ['DATABASE_URL=', ''],
    ['DATABASE_URL=""', ''],
    ['DATABASE_URL=postgres://${DB_HOST}/db', 'postgres://${DB_HOST}/db'],
    ['\uFEFFDATABASE_URL=postgres://bom@h/db', 'postgres://bom@h/db'],
    ['DATABASE_URL=postgres://first@h/db\nDATABASE_URL=postgres://last@h/db', 'postgres://last@h/db'],
    ['DATABASE_URL=postgres://crlf@h/db\r\nOTHER=x\r\n', 'postgres://crlf@h/db'],
    ['# DATABASE_URL=postgres://commented@h/db\nnot an assignment\n\nDATABASE_URL=postgres://u@h/db', 'postgres://u@h/db'],
    ['DATABASE_URL_OLD=postgres://old@h/db', undefined],
    ['PREFIX_DATABASE_URL=postgres://other@h/db', undefined],
  ])('%j gives DATABASE_URL %j', (text, expected) => {
    expect(valueOf(text)).toBe(expected);
  });

  it('a quoted value spanning lines is one value, and the lines inside it are not read as assignments', () => {
    const text = 'KEY="-----BEGIN\nDATABASE_URL=postgres://inside@h/db\n-----END" # pem\nDATABASE_URL=postgres://after@h/db\nLAST=1';
    const values = parseDotenv(text, './.env');
    expect(values.get('KEY')).toEqual({ value: '-----BEGIN\nDATABASE_URL=postgres://inside@h/db\n-----END', line: 1 });
    expect(values.get('DATABASE_URL')).toEqual({ value: 'postgres://after@h/db', line: 4 });
    expect(values.get('LAST')).toEqual({ value: '1', line: 5 });
  });

  it('a quote that never closes is an error naming the line and the key', () => {
    expect(() => parseDotenv('A=1\nDATABASE_URL="postgres://u@h/db\nB=2\n', './.env'))
      .toThrow(new UsageError('./.env line 2: the value of DATABASE_URL opens " and never closes it'));
  });
});
