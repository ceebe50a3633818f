// What every project's app asserts about the reports it gets, so each project states only how it loads seqsync.
// A report must also survive JSON.stringify (bigints as strings, as `seqsync --json` prints them).
function expectBehind(report, count, label) {
  const behind = report.sequences.filter((s) => s.behind).map((s) => `${s.schema}.${s.sequence}`).sort();
  if (behind.length !== count) throw new Error(`${label}: expected ${count} sequences behind, got ${JSON.stringify(behind)}`);
  return behind;
}

function expectJson(report) {
  const parsed = JSON.parse(JSON.stringify(report));
  const user = parsed.sequences.find((s) => s.sequence === 'User_id_seq');
  if (user === undefined || typeof user.nextValueBefore !== 'string') {
    throw new Error(`JSON.stringify(report) should carry bigints as strings, got ${JSON.stringify(user)}`);
  }
}

/** Runs check → realign → check with the module's own exports and asserts each exact outcome. */
async function expectCheckRealignCheck(seqsync, db) {
  const before = await seqsync.check(db);
  const names = expectBehind(before, 2, 'check before realign');
  if (names.join(',') !== 'public.User_id_seq,public.invoice_id_seq') throw new Error(`unexpected sequences ${names}`);
  expectJson(before);
  const moved = await seqsync.realign(db);
  const advanced = moved.sequences.filter((s) => s.action === 'advanced').map((s) => `${s.sequence}→${s.nextValueAfter}`).sort();
  if (advanced.join(',') !== 'User_id_seq→4,invoice_id_seq→8') throw new Error(`realign moved ${JSON.stringify(advanced)}`);
  expectBehind(await seqsync.check(db), 0, 'check after realign');
  try {
    await seqsync.check('nosuchdb://localhost/x');
    throw new Error('check of an unknown scheme should fail');
  } catch (error) {
    if (!seqsync.isSeqsyncError(error)) throw error;
  }
  console.log(`check → realign (${advanced.join(', ')}) → check: as expected`);
}

module.exports = { expectBehind, expectCheckRealignCheck, expectJson };
