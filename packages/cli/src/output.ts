/** Below this many batches there is nothing worth a progress line. */
const PROGRESS_MIN_BATCHES = 2;

/** A run this long is one a person waits on: from here the progress line also says how long is left. */
const ESTIMATE_AFTER_MS = 3_000;

/**
 * The time left, rounded as far as an estimate from the batches so far deserves: seconds under a minute (never 0:
 * there is a batch to go), whole minutes under an hour, then hours and minutes.
 */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Everything the CLI prints goes through here. The progress line on a terminal ("\r2/3 batches") is left without a
 * newline so the next count overwrites it; any other text written while it is open would be glued onto it
 * ("2/3 batchesseqsync: lock timeout …"), so every other write ends it first — on stdout too, since both streams
 * usually share the one terminal.
 */
export class Output {
  private progressOpen = false;
  /** Length of the progress text last written: a shorter one is padded so that none of it stays behind. */
  private progressWidth = 0;
  private readonly started: number;
  /** The first count seen and when: the estimate's clock starts there (the catalog read before it is no batch). */
  private first: { readonly done: number; readonly at: number } | null = null;

  constructor(
    private readonly io: { readonly stdout: (text: string) => boolean | void; readonly stderr: (text: string) => void },
    /** Progress is for a person watching: only on a terminal, and never with --quiet. */
    private readonly showProgress: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** `false` when stdout queued the text rather than wrote it (see Io.stdoutDrained). */
  stdout(text: string): boolean | void {
    this.endProgress();
    return this.io.stdout(text);
  }

  stderr(text: string): void {
    this.endProgress();
    this.io.stderr(text);
  }

  /**
   * `12/47 batches`; once the run has taken a few seconds, `12/47 batches, about 3 min left` — the batches still to
   * come at the pace of those done since the first (every batch holds about as many tables).
   */
  progress(done: number, total: number): void {
    if (!this.showProgress || total < PROGRESS_MIN_BATCHES) return;
    const now = this.now();
    if (this.first === null || done <= this.first.done) this.first = { done, at: now };
    const paced = done - this.first.done;
    const estimate = done < total && paced > 0 && now - this.started >= ESTIMATE_AFTER_MS
      ? `, about ${formatTimeLeft(((now - this.first.at) / paced) * (total - done))} left` : '';
    const text = `${done}/${total} batches${estimate}`;
    this.io.stderr(`\r${text.padEnd(this.progressWidth)}`);
    this.progressWidth = text.length;
    this.progressOpen = true;
    if (done === total) this.endProgress();
  }

  private endProgress(): void {
    if (!this.progressOpen) return;
    this.progressOpen = false;
    this.progressWidth = 0;
    this.io.stderr('\n');
  }
}
