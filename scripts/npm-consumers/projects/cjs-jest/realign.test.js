const seqsync = require('@seqsync/core');
const { expectCheckRealignCheck } = require('./expect-run.cjs');

test('check, realign and check a URL from the CommonJS build under Jest\'s VM (drivers loaded with require)', async () => {
  await expectCheckRealignCheck(seqsync, process.env.SEQSYNC_PG_URL);
});
