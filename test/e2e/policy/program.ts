import * as pulumi from "@pulumi/pulumi";
import { AccountPurge } from "../../../dynamic-providers/accountPurge";
import { TrainingFile } from "../../../dynamic-providers/trainingFile";
import { loadStackConfig } from "../../../config";

// The two resources of the program the policy pack judges without Azure: the training file
// (its billed-token estimate is known at preview) and the purge that purgeOnDestroy creates.
// The stack's config goes through the program's own validation first, so the pack judges only
// what the program would accept.
const stackConfig = loadStackConfig();
const config = new pulumi.Config("azure-openai-finetune");

new TrainingFile("ft-prod-tuned-training-file", {
  endpoint: "https://aoift-prod-e2e.cognitiveservices.azure.com/",
  path: config.require("trainingFile"),
  model: "gpt-4o-2024-08-06",
  purpose: "fine-tune",
  epochs: 3,
});

if (stackConfig.purgeOnDestroy) {
  new AccountPurge("ft-prod-purge", {
    subscriptionId: "11111111-2222-3333-4444-555555555555",
    resourceGroupName: "ft-prod-rg",
    location: "swedencentral",
    accountName: "aoift-prod-e2e",
  });
}
