import fs from 'node:fs';

/**
 * One measured figure. A figure with a baseline is read as the ratio `value / baseline.value`,
 * both measured in the same run on the same machine: absolute times on these shared machines move
 * with the neighbours' load, the ratio much less.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** What the issue asks of the ratio (or of the value when there is no baseline), for the table. */
  target?: string;
}

export interface BenchResult {
  bench: string;
  figures: Figure[];
}

export const ratioOf = (f: Figure): number | undefined => (f.baseline ? f.value / f.baseline.value : undefined);

/** Peak resident memory of this process so far (the kernel's high-water mark), in MiB. */
export const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/** `npm run bench` reads what each benchmark measured from the file it names in BENCH_RESULT_FILE. */
export function reportFigures(bench: string, figures: Figure[]): void {
  const file = process.env.BENCH_RESULT_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify({ bench, figures } satisfies BenchResult, null, 2));
}
