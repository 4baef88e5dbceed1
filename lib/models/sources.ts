/**
 * The public documents the model catalog is copied from, each as `repo path @ commit` and the
 * page readers open. Dates and regions move; re-read these when updating lib/models/catalog.ts.
 */
export const SOURCES = {
  /**
   * Older retirement table: deprecation dates and gpt-4o's split (Standard) retirement, which the
   * newer schedule below no longer prints.
   */
  retirements:
    "MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/includes/retirement/models.md @ 31c50ba1 " +
    "(https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements)",
  /**
   * Newest retirement schedule (ms.date 07/07/2026): base model retirement dates and the
   * fine-tuned models' training ("No earlier than", existing customers only) and deployment dates.
   */
  retirementSchedule:
    "MicrosoftDocs/azure-ai-docs articles/foundry/openai/includes/concepts-model-retirement-schedule-content.md @ 00bb5540 " +
    "(https://learn.microsoft.com/azure/foundry/openai/concepts/model-retirements)",
  /** Fine-tunable models: Standard regions, Global, Developer, methods, status (2026-03-05). */
  fineTuneModels:
    "MicrosoftDocs/azure-ai-docs articles/foundry/includes/fine-tune-supported-models.md @ 10fd319b " +
    "(https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning)",
  /** Global training regions and their caveats (Japan East no vision, Poland Central no 4.1-nano). */
  globalTrainingRegions:
    "MicrosoftDocs/azure-ai-docs articles/foundry/openai/includes/fine-tune-models.md @ 6e4fb7ad",
  /** Training example context lengths per model. */
  contextLengths:
    "MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/includes/fine-tune-models.md @ 1e62f386",
  /** Deployment types for fine-tuned models, per model and region. */
  tunedDeployments:
    "MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/how-to/fine-tuning-deploy.md @ 13842c09 " +
    "(https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-deploy#deployment-types)",
} as const;
