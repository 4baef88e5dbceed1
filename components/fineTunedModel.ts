import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { FineTuningJob } from "../dynamic-providers/fineTuningJob";
import { TrainingFile } from "../dynamic-providers/trainingFile";
import { FINE_TUNABLE_MODELS } from "../lib/models";

/** Arguments of {@link FineTunedModel}. */
export interface FineTunedModelArgs {
  /** Data-plane endpoint of the account (`https://<subdomain>.cognitiveservices.azure.com/`). */
  readonly endpoint: pulumi.Input<string>;
  /** Account that trains and hosts the model. */
  readonly accountName: pulumi.Input<string>;
  /** Resource group of the account. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Fine-tunable base model, dated id (`gpt-4.1-mini-2025-04-14`). Plain: validated here. */
  readonly baseModel: string;
  /** Training data (.jsonl), relative to the program directory. */
  readonly trainingFile: pulumi.Input<string>;
  /** Optional validation data (.jsonl). Plain: decides whether a validation file is uploaded. */
  readonly validationFile?: string;
  /** Epochs, or "auto". Plain: the cost guard needs it at preview. */
  readonly epochs: number | "auto";
  /** Batch size, or "auto". */
  readonly batchSize: pulumi.Input<number | "auto">;
  /** Learning-rate multiplier, or "auto". */
  readonly learningRateMultiplier: pulumi.Input<number | "auto">;
  /** Suffix Azure puts into the fine-tuned model's name. */
  readonly suffix: pulumi.Input<string>;
  /** Training seed, for reproducible runs. */
  readonly seed?: pulumi.Input<number>;
  /** Where training runs: `Standard`, `GlobalStandard` or `Developer`. */
  readonly trainingType: pulumi.Input<"Standard" | "GlobalStandard" | "Developer">;
  /** How long one `pulumi up` waits for the job; the job survives a timeout and is resumed. */
  readonly deadlineMinutes: pulumi.Input<number>;
  /** Data-plane API version for the upload and the job. */
  readonly apiVersion: pulumi.Input<string>;
  /** Name of the fine-tuned deployment. */
  readonly deploymentName: pulumi.Input<string>;
  /** Deployment type: `DeveloperTier` (no hosting fee, 24 h), `Standard`, `GlobalStandard`, … */
  readonly deploymentSku: pulumi.Input<string>;
  /** Deployment capacity in thousands of tokens per minute. */
  readonly deploymentCapacity: pulumi.Input<number>;
  /** Cost guard: the largest estimated billed training-token count allowed. */
  readonly maxBilledTokens: number;
  /** The config key that holds `maxBilledTokens`, named in the cost guard's error. */
  readonly maxBilledTokensSetting: string;
  /**
   * Resources that must exist before anything here runs: the base deployment (ARM refuses
   * concurrent deployment writes on one account) and the data-plane role assignments (uploads
   * need them).
   */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The fine-tuning cycle as resources: the training (and optional validation) file upload, the
 * fine-tuning job, and an azure-native deployment of the model the job produces. Destroy removes
 * them in reverse: deployment, job and tuned model, files.
 */
export class FineTunedModel extends pulumi.ComponentResource {
  /** The uploaded training file. */
  public readonly trainingFile: TrainingFile;
  /** The fine-tuning job. */
  public readonly job: FineTuningJob;
  /** The deployment of the fine-tuned model. */
  public readonly deployment: azure.cognitiveservices.Deployment;
  /** Id of the fine-tuned model (`<base>.ft-<id>`). */
  public readonly fineTunedModel: pulumi.Output<string>;
  /** Name of the fine-tuned deployment. */
  public readonly deploymentName: pulumi.Output<string>;
  /** Estimated billed training tokens (tokens × epochs), known at preview. */
  public readonly estimatedBilledTokens: pulumi.Output<number>;

  constructor(name: string, args: FineTunedModelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-openai-finetune:model:FineTunedModel", name, {}, opts);

    if (FINE_TUNABLE_MODELS[args.baseModel] === undefined) {
      throw new pulumi.ResourceError(
        `\`baseModel\` "${args.baseModel}" is not a fine-tunable base model; use one of ${Object.keys(FINE_TUNABLE_MODELS).join(", ")}.`,
        this,
      );
    }

    // Validation, the token count and the cost guard run when the program runs, so `pulumi
    // preview` reports bad data or a training bill over the cap before anything is uploaded.
    const epochs = args.epochs === "auto" ? undefined : args.epochs;
    this.trainingFile = new TrainingFile(
      `${name}-training-file`,
      {
        endpoint: args.endpoint,
        accountName: args.accountName,
        path: args.trainingFile,
        purpose: "fine-tune",
        model: args.baseModel,
        epochs,
        maxBilledTokens: args.maxBilledTokens,
        maxBilledTokensSetting: args.maxBilledTokensSetting,
        apiVersion: args.apiVersion,
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    const validation =
      args.validationFile !== undefined
        ? new TrainingFile(
            `${name}-validation-file`,
            {
              endpoint: args.endpoint,
              accountName: args.accountName,
              path: args.validationFile,
              purpose: "fine-tune",
              model: args.baseModel,
              epochs,
              apiVersion: args.apiVersion,
            },
            { parent: this, dependsOn: args.dependsOn },
          )
        : undefined;
    this.estimatedBilledTokens = this.trainingFile.estimatedBilledTokens;

    this.job = new FineTuningJob(
      `${name}-job`,
      {
        endpoint: args.endpoint,
        accountName: args.accountName,
        baseModel: args.baseModel,
        trainingFileId: this.trainingFile.fileId,
        trainingFileSha256: this.trainingFile.sha256,
        ...(validation ? { validationFileId: validation.fileId } : {}),
        hyperparameters: {
          nEpochs: args.epochs,
          batchSize: args.batchSize,
          learningRateMultiplier: args.learningRateMultiplier,
        },
        suffix: args.suffix,
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        trainingType: args.trainingType,
        deadlineMinutes: args.deadlineMinutes,
        apiVersion: args.apiVersion,
      },
      { parent: this },
    );
    this.fineTunedModel = this.job.fineTunedModel;

    this.deployment = new azure.cognitiveservices.Deployment(
      `${name}-deployment`,
      {
        accountName: args.accountName,
        resourceGroupName: args.resourceGroupName,
        deploymentName: args.deploymentName,
        sku: { name: args.deploymentSku, capacity: args.deploymentCapacity },
        // Tuned models are always version "1" in ARM.
        properties: { model: { format: "OpenAI", name: this.job.fineTunedModel, version: "1" } },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.deploymentName = this.deployment.name;

    this.registerOutputs({
      fineTunedModel: this.fineTunedModel,
      deploymentName: this.deploymentName,
      jobId: this.job.jobId,
      estimatedBilledTokens: this.estimatedBilledTokens,
    });
  }
}
