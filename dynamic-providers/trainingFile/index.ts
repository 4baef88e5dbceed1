import * as pulumi from "@pulumi/pulumi";
import type { AccountArgs } from "../accountArgs";
import { checkTrainingContent } from "./content";
import { trainingFileProvider } from "./provider";

export { checkTrainingContent } from "./content";
export { trainingFileProvider } from "./provider";

/** Arguments of a `TrainingFile`. */
export interface TrainingFileArgs extends AccountArgs {
  /**
   * Path of the JSONL file, relative to the Pulumi program's directory. Only its content matters:
   * moving or renaming a file with the same content changes nothing.
   */
  readonly path: pulumi.Input<string>;
  /** Base model the data is for (full id, alias or `<base>.ft-<id>`): sets the per-example token limit. */
  readonly model: pulumi.Input<string>;
  /** Azure file purpose; default and only value "fine-tune" (training and validation data). */
  readonly purpose?: pulumi.Input<string>;
  /** Planned epochs, for the billed-token estimate; unset means "auto" (estimated with `autoEpochs`). */
  readonly epochs?: pulumi.Input<number>;
  /** Refuse the file (at preview, before any upload) when the estimated billed tokens exceed this. */
  readonly maxBilledTokens?: pulumi.Input<number>;
  /** Where the cap is set (e.g. the stack config key), named in the refusal; default `maxBilledTokens`. */
  readonly maxBilledTokensSetting?: pulumi.Input<string>;
}

/**
 * A JSONL training (or validation) file uploaded to Azure OpenAI, validated at preview, and
 * processed by Azure before the resource counts as created. Its id feeds a `FineTuningJob`.
 */
export class TrainingFile extends pulumi.dynamic.Resource {
  /** Azure file id (`file-…`), also the resource id. */
  declare readonly fileId: pulumi.Output<string>;
  /** Size in bytes. */
  declare readonly bytes: pulumi.Output<number>;
  /** sha256 of the content: the file is replaced when it changes. */
  declare readonly sha256: pulumi.Output<string>;
  /** Azure processing status ("processed" once created). */
  declare readonly status: pulumi.Output<string>;
  /** Training examples (lines). */
  declare readonly examples: pulumi.Output<number>;
  /** Estimated training tokens for one epoch. */
  declare readonly totalTokens: pulumi.Output<number>;
  /**
   * False when the model's own tokenizer is not o200k_base (the open models, gpt-oss's
   * o200k_harmony, or a model the catalog does not know): the counts are estimates, never exact.
   */
  declare readonly tokenCountExact: pulumi.Output<boolean>;
  /** Estimated billed tokens (tokens × epochs, or per epoch when epochs is "auto"). */
  declare readonly estimatedBilledTokens: pulumi.Output<number>;
  /** File name as uploaded. */
  declare readonly filename: pulumi.Output<string>;
  /** Account endpoint the file lives in. */
  declare readonly endpoint: pulumi.Output<string>;
  /** Azure file purpose. */
  declare readonly purpose: pulumi.Output<string>;

  constructor(name: string, args: TrainingFileArgs, opts?: pulumi.CustomResourceOptions) {
    const content = pulumi
      .all([args.path, args.model, args.epochs])
      .apply(async ([path, model, epochs]) => {
        const checked = await checkTrainingContent(path, model, epochs, (warning) =>
          pulumi.log.warn(`TrainingFile ${name}: ${warning}`),
        );
        // The program's own log reaches `pulumi preview`, so the cost is visible before anything is spent.
        if (!checked.problem && checked.errorCount === 0) {
          const epochsNote = checked.epochsAuto
            ? `${checked.epochs} epochs, the likely "auto" count`
            : `${checked.epochs} epochs`;
          const about = checked.tokenCountExact ? "" : "~";
          const counted = checked.tokenCountExact ? "" : `; counted with ${checked.tokenizer}`;
          pulumi.log.info(
            `TrainingFile ${name}: ${checked.examples} examples, ${about}${checked.totalTokens} tokens; ` +
              `estimated billed training tokens ${about}${checked.estimatedBilledTokens} (${epochsNote}${counted})`,
          );
        }
        return checked;
      });
    super(
      trainingFileProvider,
      name,
      {
        ...args,
        content,
        fileId: undefined,
        bytes: undefined,
        sha256: undefined,
        status: undefined,
        examples: undefined,
        totalTokens: undefined,
        tokenCountExact: undefined,
        estimatedBilledTokens: undefined,
        filename: undefined,
      },
      opts,
      "azure-openai",
      "TrainingFile",
    );
  }
}
