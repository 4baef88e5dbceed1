import * as pulumi from "@pulumi/pulumi";
import { resolveApiVersion } from "../../lib/azure/apiVersion";
import { checkAccount, isUnknown, UNKNOWN } from "../support";
import { ContentCheck, MAX_LISTED_ERRORS, PURPOSES, TrainingFileProviderInputs } from "./types";

/**
 * Turns the program's validation of the content into check failures and validates the other
 * inputs, without calling Azure (so `pulumi preview` catches bad data before anything is spent).
 */
export function checkFileInputs(news: TrainingFileProviderInputs): {
  inputs: TrainingFileProviderInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const { content, ...rest } = news as TrainingFileProviderInputs & { content?: ContentCheck };
  const inputs: TrainingFileProviderInputs = { ...rest, purpose: rest.purpose ?? "fine-tune" };

  checkAccount(inputs, fail);
  if (!isUnknown(inputs.purpose) && !PURPOSES.includes(inputs.purpose)) {
    fail(
      "purpose",
      `\`purpose\` "${inputs.purpose}" is not supported; TrainingFile uploads fine-tuning data, use "fine-tune"`,
    );
  }
  if (inputs.apiVersion !== undefined && !isUnknown(inputs.apiVersion)) {
    try {
      resolveApiVersion(inputs.apiVersion);
    } catch (err) {
      fail("apiVersion", (err as Error).message);
    }
  }
  if (
    inputs.maxBilledTokens !== undefined &&
    !isUnknown(inputs.maxBilledTokens) &&
    !(typeof inputs.maxBilledTokens === "number" && inputs.maxBilledTokens > 0)
  ) {
    fail(
      "maxBilledTokens",
      `\`maxBilledTokens\` ${JSON.stringify(inputs.maxBilledTokens)} must be a number greater than 0`,
    );
  }
  if (content === undefined || isUnknown(content)) {
    if (content === undefined) {
      fail(
        "path",
        "`path` has not been validated; create the resource through the TrainingFile class",
      );
    }
    // Known once the program's outputs resolve (preview of a new stack); `diff` treats it as a content change.
    return { inputs: { ...inputs, sha256: UNKNOWN }, failures };
  }
  if (content.problem) {
    fail(content.problem.property, content.problem.reason);
    return { inputs, failures };
  }
  for (const error of content.errors.slice(0, MAX_LISTED_ERRORS)) {
    fail("path", error);
  }
  if (content.errorCount > MAX_LISTED_ERRORS) {
    fail(
      "path",
      `… and ${content.errorCount - MAX_LISTED_ERRORS} more problems in ${inputs.path}; ` +
        `run \`npm run validate -- ${inputs.path} --model ${inputs.model}\` to list them`,
    );
  }
  if (
    inputs.maxBilledTokens !== undefined &&
    content.estimatedBilledTokens > inputs.maxBilledTokens
  ) {
    const how = `${content.totalTokens} tokens × ${content.epochs} epochs${content.epochsAuto ? ', the likely "auto" count' : ""}`;
    const amount = content.tokenCountExact
      ? `about ${content.estimatedBilledTokens} tokens (${how})`
      : `an estimated ~${content.estimatedBilledTokens} tokens (${how}; counted with ${content.tokenizer})`;
    fail(
      "maxBilledTokens",
      `training on ${inputs.path} would bill ${amount}, above ` +
        `\`${inputs.maxBilledTokensSetting ?? "maxBilledTokens"}\` ${inputs.maxBilledTokens}; shrink the data, lower the epochs, or raise the cap`,
    );
  }
  return {
    inputs: {
      ...inputs,
      sha256: content.sha256,
      bytes: content.bytes,
      examples: content.examples,
      totalTokens: content.totalTokens,
      tokenCountExact: content.tokenCountExact,
      estimatedBilledTokens: content.estimatedBilledTokens,
    },
    failures,
  };
}
