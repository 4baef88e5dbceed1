import * as pulumi from "@pulumi/pulumi";
import { resolveApiVersion } from "../../lib/azure/apiVersion";
import { TRAINING_TYPES } from "../../lib/fineTuning";
import { findModel, JOB_INPUT_LIMITS, methodProblem } from "../../lib/models";
import { checkAccount, isUnknown } from "../support";
import {
  FineTuningJobProviderInputs,
  HyperparameterValues,
  MAX_DEADLINE_MINUTES,
  METHODS,
} from "./types";

/** Records one check failure on an input. */
type Fail = (property: string, reason: string) => void;

const known = (value: unknown) => value !== undefined && !isUnknown(value);

/**
 * Validates a FineTuningJob's inputs without calling Azure (so `pulumi preview` catches them),
 * applies the defaults and resolves the base model alias. Unknown values (preview) pass.
 */
export function checkJobInputs(news: FineTuningJobProviderInputs): {
  inputs: FineTuningJobProviderInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const fail: Fail = (property, reason) => failures.push({ property, reason });
  const inputs = withDefaults(news);
  checkReferences(inputs, fail);
  const apiVersionFailed = failures.some((f) => f.property === "apiVersion");
  checkModelAndMethod(inputs, apiVersionFailed, fail);
  checkJobOptions(inputs, fail);
  checkHyperparameters(inputs, fail);
  checkWaiting(inputs, fail);
  return { inputs, failures };
}

/** The inputs with the defaults Azure would apply made explicit ("auto", supervised, GlobalStandard). */
export function withDefaults(news: FineTuningJobProviderInputs): FineTuningJobProviderInputs {
  const hyperIn = (news.hyperparameters ?? {}) as Partial<HyperparameterValues>;
  return {
    ...news,
    method: news.method ?? "supervised",
    trainingType: news.trainingType ?? "GlobalStandard",
    hyperparameters: {
      nEpochs: hyperIn.nEpochs ?? "auto",
      batchSize: hyperIn.batchSize ?? "auto",
      learningRateMultiplier: hyperIn.learningRateMultiplier ?? "auto",
      ...(hyperIn.beta !== undefined ? { beta: hyperIn.beta } : {}),
    },
  };
}

/** Endpoint (normalised in place), file ids, api-version and the logical name. */
export function checkReferences(inputs: FineTuningJobProviderInputs, fail: Fail): void {
  checkAccount(inputs, fail);
  if (typeof inputs.trainingFileId !== "string" || inputs.trainingFileId === "") {
    fail(
      "trainingFileId",
      "`trainingFileId` must be the id of a processed training file (TrainingFile.fileId)",
    );
  }
  if (
    inputs.validationFileId !== undefined &&
    (typeof inputs.validationFileId !== "string" || inputs.validationFileId === "")
  ) {
    fail("validationFileId", "`validationFileId` must be the id of a processed file, or unset");
  }
  if (known(inputs.apiVersion)) {
    try {
      resolveApiVersion(inputs.apiVersion);
    } catch (err) {
      fail("apiVersion", (err as Error).message);
    }
  }

  if (typeof inputs.logicalName !== "string" || inputs.logicalName === "") {
    fail(
      "logicalName",
      "`logicalName` is set by the FineTuningJob class; construct the resource through it",
    );
  }
}

/** The base model (alias resolved in place) and whether it supports the method. */
export function checkModelAndMethod(
  inputs: FineTuningJobProviderInputs,
  apiVersionFailed: boolean,
  fail: Fail,
): void {
  const methodOk = isUnknown(inputs.method) || METHODS.includes(inputs.method);
  if (!methodOk) {
    fail(
      "method",
      `\`method\` ${JSON.stringify(inputs.method)} is not supported; use "supervised" or "dpo"`,
    );
  }
  if (!isUnknown(inputs.baseModel)) {
    if (typeof inputs.baseModel !== "string" || inputs.baseModel === "") {
      fail(
        "baseModel",
        `\`baseModel\` ${JSON.stringify(inputs.baseModel)} must be a model id, e.g. gpt-4.1-mini-2025-04-14`,
      );
    } else {
      checkCatalogModel(inputs, methodOk, fail);
    }
  }
  if (
    inputs.method === "dpo" &&
    known(inputs.apiVersion) &&
    !apiVersionFailed &&
    !resolveApiVersion(inputs.apiVersion).endsWith("-preview")
  ) {
    fail(
      "method",
      `\`method\` "dpo" needs a preview api-version; \`apiVersion\` is "${inputs.apiVersion}", use e.g. "2025-04-01-preview"`,
    );
  }
}

/**
 * Resolves a catalog model's alias to its dated id in place and refuses a method the catalog
 * says the model cannot run. A model the catalog does not know passes: the FineTuningJob class
 * warns, and the account decides at create (assertFineTunable).
 */
function checkCatalogModel(
  inputs: FineTuningJobProviderInputs,
  methodOk: boolean,
  fail: Fail,
): void {
  const found = findModel(inputs.baseModel);
  // Aliases resolve to the dated id so renaming gpt-4o to gpt-4o-2024-08-06 is no change;
  // a fine-tuned id (continuous fine-tuning) is sent as given.
  if (found !== undefined && !/\.ft-/.test(inputs.baseModel)) {
    inputs.baseModel = found.id;
  }
  const problem =
    methodOk && !isUnknown(inputs.method)
      ? methodProblem("baseModel", inputs.baseModel, inputs.method)
      : undefined;
  if (problem !== undefined) {
    fail("method", `\`method\` "${inputs.method}" does not apply: ${problem}`);
  }
}

/** Training type, suffix and seed. */
export function checkJobOptions(inputs: FineTuningJobProviderInputs, fail: Fail): void {
  if (
    !isUnknown(inputs.trainingType) &&
    !(TRAINING_TYPES as readonly string[]).includes(inputs.trainingType)
  ) {
    fail(
      "trainingType",
      `\`trainingType\` ${JSON.stringify(inputs.trainingType)} is not supported; use one of: ${TRAINING_TYPES.join(", ")}`,
    );
  }
  if (
    known(inputs.suffix) &&
    !(typeof inputs.suffix === "string" && JOB_INPUT_LIMITS.suffix.test(inputs.suffix))
  ) {
    fail(
      "suffix",
      `\`suffix\` ${JSON.stringify(inputs.suffix)} must be 1-40 letters, digits, '-' or '_' (Azure appends it to the fine-tuned model name)`,
    );
  }
  if (
    known(inputs.seed) &&
    !(
      Number.isInteger(inputs.seed) &&
      (inputs.seed as number) >= 0 &&
      (inputs.seed as number) <= JOB_INPUT_LIMITS.seedMax
    )
  ) {
    fail(
      "seed",
      `\`seed\` ${JSON.stringify(inputs.seed)} must be a whole number from 0 to ${JOB_INPUT_LIMITS.seedMax}`,
    );
  }
}

/** Hyperparameter ranges, and `beta` only with DPO. */
export function checkHyperparameters(inputs: FineTuningJobProviderInputs, fail: Fail): void {
  const hp = inputs.hyperparameters;
  const range = (name: "nEpochs" | "batchSize" | "learningRateMultiplier") => {
    const { min, max, whole } = JOB_INPUT_LIMITS[name];
    const value = hp[name];
    if (!known(value) || value === "auto") {
      return;
    }
    if (
      typeof value !== "number" ||
      !(value >= min && value <= max) ||
      (whole && !Number.isInteger(value))
    ) {
      fail(
        `hyperparameters.${name}`,
        `\`hyperparameters.${name}\` ${JSON.stringify(value)} must be "auto" or ${whole ? "a whole number" : "a number"} from ${min} to ${max}`,
      );
    }
  };
  range("nEpochs");
  range("batchSize");
  range("learningRateMultiplier");
  if (hp.beta !== undefined && !isUnknown(hp.beta)) {
    if (inputs.method !== "dpo" && !isUnknown(inputs.method)) {
      fail(
        "hyperparameters.beta",
        '`hyperparameters.beta` applies only to method "dpo"; remove it or set `method` to "dpo"',
      );
    } else if (
      hp.beta !== "auto" &&
      !(typeof hp.beta === "number" && hp.beta > 0 && Number.isFinite(hp.beta))
    ) {
      fail(
        "hyperparameters.beta",
        `\`hyperparameters.beta\` ${JSON.stringify(hp.beta)} must be "auto" or a number greater than 0`,
      );
    }
  }
}

/** The deadline and poll interval of `pulumi up`'s wait. */
export function checkWaiting(inputs: FineTuningJobProviderInputs, fail: Fail): void {
  if (!isUnknown(inputs.deadlineMinutes)) {
    const d = inputs.deadlineMinutes;
    if (typeof d !== "number" || !(d > 0 && d <= MAX_DEADLINE_MINUTES)) {
      fail(
        "deadlineMinutes",
        `\`deadlineMinutes\` ${JSON.stringify(d)} must be a number of minutes greater than 0 and at most ${MAX_DEADLINE_MINUTES} ` +
          "(Azure stops jobs after 720 hours); keep it under your CI job's time limit",
      );
    }
  }
  if (
    known(inputs.pollIntervalSeconds) &&
    !(typeof inputs.pollIntervalSeconds === "number" && inputs.pollIntervalSeconds > 0)
  ) {
    fail(
      "pollIntervalSeconds",
      `\`pollIntervalSeconds\` ${JSON.stringify(inputs.pollIntervalSeconds)} must be a number greater than 0`,
    );
  }
}
