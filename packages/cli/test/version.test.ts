import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../src/main';
import { seqsync } from './cli-run';

const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

describe('seqsync --version', () => {
  test('the built binary prints exactly the version in packages/cli/package.json', () => {
    expect(seqsync(['--version'])).toEqual({ code: 0, stdout: `seqsync ${version}\n`, stderr: '' });
  });

  test('from source it prints the same, read from package.json', async () => {
    let stdout = '';
    const code = await main(['--version'], { stdout: (text) => { stdout += text; }, stderr: () => undefined, env: {}, stderrIsTty: false });
    expect({ code, stdout }).toEqual({ code: 0, stdout: `seqsync ${version}\n` });
  });
});
