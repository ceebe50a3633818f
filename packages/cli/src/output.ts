/** Below this many batches there is nothing worth a progress line. */
const PROGRESS_MIN_BATCHES = 2;

/**
 * Everything the CLI prints goes through here. The progress line on a terminal ("\r2/3 batches") is left without a
 * newline so the next count overwrites it; any other text written while it is open would be glued onto it
 * ("2/3 batchesseqsync: lock timeout …"), so every other write ends it first — on stdout too, since both streams
 * usually share the one terminal.
 */
export class Output {
  private progressOpen = false;

  constructor(
    private readonly io: { readonly stdout: (text: string) => void; readonly stderr: (text: string) => void },
    /** Progress is for a person watching: only on a terminal, and never with --quiet. */
    private readonly showProgress: boolean,
  ) {}

  stdout(text: string): void {
    this.endProgress();
    this.io.stdout(text);
  }

  stderr(text: string): void {
    this.endProgress();
    this.io.stderr(text);
  }

  progress(done: number, total: number): void {
    if (!this.showProgress || total < PROGRESS_MIN_BATCHES) return;
    this.io.stderr(`\r${done}/${total} batches`);
    this.progressOpen = true;
    if (done === total) this.endProgress();
  }

  private endProgress(): void {
    if (!this.progressOpen) return;
    this.progressOpen = false;
    this.io.stderr('\n');
  }
}
