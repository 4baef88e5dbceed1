/**
 * Epochs Azure is expected to pick for `n_epochs: "auto"`: OpenAI's published heuristic (cookbook
 * "Data preparation and analysis for chat model fine-tuning") aims for about 100 to 25,000 trained
 * examples: 3 epochs by default, between 1 and 25. Azure does not document its own rule, so the
 * billed-token estimate and the emulator both use this one.
 */
export function autoEpochs(examples: number): number {
  const target = 3;
  if (examples <= 0) return target;
  if (examples * target < 100) return Math.min(25, Math.floor(100 / examples));
  if (examples * target > 25_000) return Math.max(1, Math.floor(25_000 / examples));
  return target;
}
