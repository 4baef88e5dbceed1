import * as pulumi from "@pulumi/pulumi";
import type { AccountArgs } from "../accountArgs";
import type { AutoOr, TrainingType } from "../../lib/fineTuning";
import { findModel, unknownModelWarning } from "../../lib/models";
import { fineTuningJobProvider } from "./provider";
import type { JobMethod } from "./types";

export { fineTuningJobProvider } from "./provider";
export type { JobMethod } from "./types";

/** Hyperparameters of a job; each defaults to "auto". */
export interface FineTuningHyperparameters {
  /** Epochs, 1-50. */
  readonly nEpochs?: pulumi.Input<AutoOr<number>>;
  /** Batch size, 1-256. */
  readonly batchSize?: pulumi.Input<AutoOr<number>>;
  /** Learning-rate multiplier, 0.01-10 (Azure recommends 0.02-0.2). */
  readonly learningRateMultiplier?: pulumi.Input<AutoOr<number>>;
  /** DPO only: weight of the penalty between the tuned and the reference model, > 0. */
  readonly beta?: pulumi.Input<AutoOr<number>>;
}

/** Arguments of a `FineTuningJob`. */
export interface FineTuningJobArgs extends AccountArgs {
  /** Base model: full id (`gpt-4o-2024-08-06`), alias (`gpt-4o`) or a fine-tuned id for continuous fine-tuning. */
  readonly baseModel: pulumi.Input<string>;
  /** Id of the processed training file (`TrainingFile.fileId`). */
  readonly trainingFileId: pulumi.Input<string>;
  /**
   * sha256 of the training file's content (`TrainingFile.sha256`). When given, a new file id with
   * the same content (the file was deleted and uploaded again) does not start a new paid job.
   */
  readonly trainingFileSha256?: pulumi.Input<string>;
  /** Id of the processed validation file, if any. */
  readonly validationFileId?: pulumi.Input<string>;
  /** "supervised" (default) or "dpo" (preference data; needs a preview api-version). */
  readonly method?: pulumi.Input<JobMethod>;
  /** Hyperparameters; each defaults to "auto". */
  readonly hyperparameters?: pulumi.Input<FineTuningHyperparameters>;
  /** Up to 40 letters, digits, '-' or '_' that Azure appends to the fine-tuned model name. */
  readonly suffix?: pulumi.Input<string>;
  /** Seed for reproducible training, 0-2147483647. */
  readonly seed?: pulumi.Input<number>;
  /** Standard (regional), GlobalStandard (default) or Developer (preemptible). */
  readonly trainingType?: pulumi.Input<TrainingType>;
  /**
   * Minutes one `pulumi up` waits for the job. When it passes the job keeps training in Azure
   * and the resource stays in state; the next `up` resumes waiting for the same job.
   */
  readonly deadlineMinutes: pulumi.Input<number>;
  /** Seconds between status polls once the job runs (default 60: one job and one events request). */
  readonly pollIntervalSeconds?: pulumi.Input<number>;
}

/**
 * An Azure OpenAI fine-tuning job, waited for inside `pulumi up`; `fineTunedModel` feeds the
 * deployment of the tuned model. Destroy cancels a running job, deletes the tuned model (after
 * its deployment) and the job.
 */
export class FineTuningJob extends pulumi.dynamic.Resource {
  /** Azure job id (`ftjob-…`), also the resource id. */
  declare readonly jobId: pulumi.Output<string>;
  /** Last status Azure reported ("succeeded" once created). */
  declare readonly status: pulumi.Output<string>;
  /** Id of the tuned model (`<base>.ft-<id>`), the name a deployment of it uses. */
  declare readonly fineTunedModel: pulumi.Output<string>;
  /** Tokens trained (billed). */
  declare readonly trainedTokens: pulumi.Output<number>;
  /** Result file ids (results.csv). */
  declare readonly resultFiles: pulumi.Output<string[]>;
  /** When the job finished, ISO 8601. */
  declare readonly finishedAt: pulumi.Output<string>;
  /** Base model the job trained (dated id). */
  declare readonly baseModel: pulumi.Output<string>;
  /** sha256 of the training inputs and the resource's name, stored in the job's metadata. */
  declare readonly idempotencyKey: pulumi.Output<string>;

  constructor(name: string, args: FineTuningJobArgs, opts?: pulumi.CustomResourceOptions) {
    // The provider lets a model the catalog does not know pass; the preview says so here.
    pulumi.output(args.baseModel).apply((model) => {
      if (typeof model === "string" && model !== "" && findModel(model) === undefined) {
        pulumi.log.warn(`FineTuningJob ${name}: ${unknownModelWarning("baseModel", model)}`);
      }
    });
    super(
      fineTuningJobProvider,
      name,
      {
        ...args,
        logicalName: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        jobId: undefined,
        status: undefined,
        fineTunedModel: undefined,
        trainedTokens: undefined,
        resultFiles: undefined,
        finishedAt: undefined,
        idempotencyKey: undefined,
      },
      opts,
      "azure-openai",
      "FineTuningJob",
    );
  }
}
