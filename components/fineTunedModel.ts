import { createHash } from "node:crypto";
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { FineTuningJob } from "../dynamic-providers/fineTuningJob";
import { TrainingFile } from "../dynamic-providers/trainingFile";

/** Arguments of {@link FineTunedModel}. */
export interface FineTunedModelArgs {
  /** Data-plane endpoint of the account (`https://<subdomain>.cognitiveservices.azure.com/`). */
  readonly endpoint: pulumi.Input<string>;
  /** Account that trains and hosts the model. */
  readonly accountName: pulumi.Input<string>;
  /** Resource group of the account. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Base model id (`gpt-4.1-mini-2025-04-14`). Plain: validated here. */
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
  /**
   * Prefix of the fine-tuned deployment's name; the name is `<prefix>-<8 hex of the model id>`
   * (see {@link tunedDeploymentName}). Plain: validated here.
   */
  readonly deploymentNamePrefix: string;
  /** Deployment type: `DeveloperTier` (no hosting fee, 24 h), `Standard`, `GlobalStandard`, … */
  readonly deploymentSku: pulumi.Input<string>;
  /** Deployment capacity in thousands of tokens per minute. */
  readonly deploymentCapacity: pulumi.Input<number>;
  /** Cost guard: the largest estimated billed training-token count allowed. */
  readonly maxBilledTokens: number;
  /** The config key that holds `maxBilledTokens`, named in the cost guard's error. */
  readonly maxBilledTokensSetting: string;
  /** What the upload and the job need first: the data-plane role assignments. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  /**
   * ARM writes on the account that the tuned deployment must follow (the base deployment, the
   * Foundry project): ARM refuses concurrent writes under one account with `RequestConflict`.
   */
  readonly deploymentDependsOn: pulumi.Input<pulumi.Resource>[];
}

/** ARM's deployment-name rule with room for `-<8 hex>`: 2–55 characters. */
const NAME_PREFIX = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,54}$/;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Problems with the plain arguments, each naming the argument, its value and the fix. */
export function validateFineTunedModelArgs(
  args: Pick<
    FineTunedModelArgs,
    "baseModel" | "deploymentNamePrefix" | "epochs" | "maxBilledTokens"
  >,
): string[] {
  const problems: string[] = [];
  if (!MODEL_ID.test(args.baseModel)) {
    problems.push(
      `\`baseModel\` ${JSON.stringify(args.baseModel)} is not a model id; use one such as gpt-4.1-mini-2025-04-14.`,
    );
  }
  if (!NAME_PREFIX.test(args.deploymentNamePrefix)) {
    problems.push(
      `\`deploymentNamePrefix\` ${JSON.stringify(args.deploymentNamePrefix)} must be 2-55 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
  if (args.epochs !== "auto" && !(Number.isInteger(args.epochs) && args.epochs >= 1)) {
    problems.push(`\`epochs\` ${args.epochs} must be "auto" or a whole number from 1.`);
  }
  if (!(Number.isInteger(args.maxBilledTokens) && args.maxBilledTokens >= 1)) {
    problems.push(`\`maxBilledTokens\` ${args.maxBilledTokens} must be a whole number from 1.`);
  }
  return problems;
}

/**
 * The fine-tuned deployment's name: the prefix and the first 8 hex digits of the SHA-256 of the
 * fine-tuned model id. ARM refuses to change a deployment's model (`CannotChangeDeploymentModel`,
 * seen in Azure-Samples/azure-search-openai-demo issues #1330, #1429), so each new model gets a
 * new deployment; Pulumi creates it before deleting the old one (a replace), and callers read
 * the name from the stack output `tunedDeploymentName`.
 */
export function tunedDeploymentName(prefix: string, fineTunedModel: string): string {
  const hash = createHash("sha256").update(fineTunedModel).digest("hex").slice(0, 8);
  return `${prefix}-${hash}`;
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
  /** Name of the fine-tuned deployment (changes with each new model). */
  public readonly deploymentName: pulumi.Output<string>;
  /** Estimated billed training tokens (tokens × epochs), known at preview. */
  public readonly estimatedBilledTokens: pulumi.Output<number>;

  constructor(name: string, args: FineTunedModelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-openai-finetune:model:FineTunedModel", name, {}, opts);

    const problems = validateFineTunedModelArgs(args);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(problems.join(" "), this);
    }

    // Validation, the token count and the cost guard run when the program runs, so `pulumi
    // preview` reports bad data or a training bill over the cap before anything is uploaded.
    const epochs = args.epochs === "auto" ? undefined : args.epochs;
    const file = (suffix: string, path: pulumi.Input<string>, guarded: boolean) =>
      new TrainingFile(
        `${name}-${suffix}`,
        {
          endpoint: args.endpoint,
          accountName: args.accountName,
          path,
          purpose: "fine-tune",
          model: args.baseModel,
          epochs,
          ...(guarded
            ? {
                maxBilledTokens: args.maxBilledTokens,
                maxBilledTokensSetting: args.maxBilledTokensSetting,
              }
            : {}),
          apiVersion: args.apiVersion,
        },
        { parent: this, dependsOn: args.dependsOn },
      );
    this.trainingFile = file("training-file", args.trainingFile, true);
    const validation =
      args.validationFile !== undefined
        ? file("validation-file", args.validationFile, false)
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
        deploymentName: this.job.fineTunedModel.apply((model) =>
          tunedDeploymentName(args.deploymentNamePrefix, model),
        ),
        sku: { name: args.deploymentSku, capacity: args.deploymentCapacity },
        // Tuned models are always version "1" in ARM (MicrosoftDocs/azure-ai-docs
        // articles/ai-foundry/openai/how-to/fine-tuning-deploy.md @ 13842c09).
        properties: { model: { format: "OpenAI", name: this.job.fineTunedModel, version: "1" } },
      },
      {
        parent: this,
        dependsOn: args.deploymentDependsOn,
        // A retrain gives the deployment a new name, so the new one can be created before the old
        // one is deleted, and callers are never left without a tuned deployment. azure-native asks
        // for delete-before-replace on every resource it did not name randomly
        // (pulumi/pulumi-azure-native provider/pkg/provider/provider.go `Diff`, `createBeforeDeleteFlag`);
        // an explicit `false` overrides the provider (pulumi/pulumi pkg/resource/deploy/step_generator.go).
        deleteBeforeReplace: false,
      },
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
