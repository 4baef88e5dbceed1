/**
 * Fine-tuning vocabulary shared by the stack config, the job provider and the emulator.
 */

/** A hyperparameter Azure accepts as a number or "auto" (the service picks). */
export type AutoOr<T> = T | "auto";

/** Where training runs: regional, global, or the preemptible Developer tier. */
export const TRAINING_TYPES = ["Standard", "GlobalStandard", "Developer"] as const;
export type TrainingType = (typeof TRAINING_TYPES)[number];

/**
 * The `trainingType` value Azure expects on the wire for each training type. Only
 * `developerTier` selects the Developer tier: MicrosoftDocs/azure-ai-docs
 * `articles/ai-foundry/openai/includes/fine-tuning-rest.md` ("trainingType": "developerTier").
 */
export const TRAINING_TYPE_WIRE: Readonly<Record<TrainingType, string>> = {
  Standard: "Standard",
  GlobalStandard: "GlobalStandard",
  Developer: "developerTier",
};
