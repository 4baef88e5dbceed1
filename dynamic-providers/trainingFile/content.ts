/** Validation of the training data in the Pulumi program (the validator cannot be serialized). */
import { validateTrainingFile } from "../../lib/trainingData/validate";
import { ContentCheck } from "./types";

/**
 * Validates the training file and hashes it, in the Pulumi program (never in the provider).
 * @param path File path, relative to the program's directory.
 * @param model Base model whose per-example token limit applies.
 * @param epochs Planned epochs for the billed-token estimate; undefined means "auto".
 * @param warn Receives the validator's warnings.
 */
export async function checkTrainingContent(
  path: string,
  model: string,
  epochs: number | undefined,
  warn: (message: string) => void,
): Promise<ContentCheck> {
  const problem = (property: string, reason: string): ContentCheck => ({
    sha256: "",
    bytes: 0,
    examples: 0,
    totalTokens: 0,
    tokenCountExact: true,
    tokenizer: "o200k_base",
    estimatedBilledTokens: 0,
    epochs: 1,
    epochsAuto: true,
    errors: [],
    errorCount: 0,
    problem: { property, reason },
  });
  if (typeof path !== "string" || path === "") {
    return problem(
      "path",
      "`path` must be the path of a JSONL training file, relative to the Pulumi program",
    );
  }
  if (typeof model !== "string" || model === "") {
    return problem(
      "model",
      `\`model\` ${JSON.stringify(model)} must be the id of the base model the data is for, e.g. gpt-4.1-mini-2025-04-14`,
    );
  }
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1)) {
    return problem(
      "epochs",
      `\`epochs\` ${JSON.stringify(epochs)} must be a whole number of at least 1, or unset for "auto"`,
    );
  }
  let report;
  try {
    report = await validateTrainingFile(path, { model, epochs, displayName: path });
  } catch (err) {
    if ((err as Error).name === "ValidationUsageError") {
      return problem("path", `\`path\`: ${(err as Error).message}`);
    }
    throw err;
  }
  for (const warning of report.warnings) {
    warn(warning);
  }
  return {
    sha256: report.sha256 as string,
    bytes: report.bytes,
    examples: report.examples,
    totalTokens: report.totalTokens,
    tokenCountExact: report.tokenCountExact,
    tokenizer: report.tokenizer,
    estimatedBilledTokens: report.estimatedBilledTokens,
    epochs: report.epochs,
    epochsAuto: report.epochsAuto,
    errors: report.errors,
    errorCount: report.errorCount,
  };
}
