/** One Markdown table of benchmark results. */
export interface BenchTable {
  /** Heading above the table. */
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** Lines printed under the table (method, caveats). */
  readonly notes?: readonly string[];
}

/** Options bench/run.ts passes to every bench. */
export interface BenchOptions {
  /** Skip the slow cases (large files); for a smoke run. */
  readonly quick: boolean;
  /** Progress line on stderr (stdout is the report). */
  readonly log: (line: string) => void;
}

/** What a `bench/*.bench.ts` module exports. */
export interface BenchModule {
  run(options: BenchOptions): Promise<BenchTable[]>;
}
