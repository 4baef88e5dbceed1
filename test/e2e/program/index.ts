import * as pulumi from "@pulumi/pulumi";
import { FineTuningJob } from "../../../dynamic-providers/fineTuningJob";
import { TrainingFile } from "../../../dynamic-providers/trainingFile";
import { EmulatorDeployment } from "./emulatorDeployment";

const config = new pulumi.Config();
const endpoint = config.require("endpoint");
const baseModel = config.require("baseModel");
const epochs = config.requireNumber("epochs");
const maxBilledTokens = config.requireNumber("maxBilledTokens");

// The same validation and cost guard the FineTunedModel component uses.
const file = new TrainingFile("training", {
  endpoint,
  path: config.require("trainingFile"),
  model: baseModel,
  purpose: "fine-tune",
  epochs,
  maxBilledTokens,
  maxBilledTokensSetting: "aoift-e2e:maxBilledTokens",
});

const job = new FineTuningJob(
  "job",
  {
    endpoint,
    baseModel,
    trainingFileId: file.fileId,
    trainingFileSha256: file.sha256,
    hyperparameters: { nEpochs: epochs },
    suffix: "e2e",
    seed: 7,
    trainingType: "Developer",
    deadlineMinutes: config.requireNumber("deadlineMinutes"),
    pollIntervalSeconds: 0.2,
  },
  { dependsOn: [file] },
);

const deployment = new EmulatorDeployment("tuned", {
  endpoint,
  name: "e2e-tuned",
  model: job.fineTunedModel,
});

export const fileId = file.fileId;
export const jobId = job.jobId;
export const fineTunedModel = job.fineTunedModel;
export const trainedTokens = job.trainedTokens;
export const estimatedBilledTokens = file.estimatedBilledTokens;
export const deploymentName = deployment.id;
