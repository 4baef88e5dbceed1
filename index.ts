import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { AccountAccess } from "./components/accountAccess";
import { CiIdentity } from "./components/ciIdentity";
import { ConnectedAccount, type AccountTarget } from "./components/connectedAccount";
import { FineTunedModel } from "./components/fineTunedModel";
import { FineTuningPlatform } from "./components/fineTuningPlatform";
import { baseModelReference, CONFIG_NAMESPACE, loadStackConfig } from "./config";
import { findModel } from "./lib/models";
import { ROLES } from "./lib/roles";

const config = loadStackConfig();
const client = azure.authorization.getClientConfigOutput();
const baseModel = baseModelReference(config.baseModel, findModel(config.baseModel)?.model);
const prefix = `ft-${config.environment}`;

// --- The account: connect to an existing one, or create resource group, account, project -
// The config refuses baseDeployment for a model it cannot reference (baseModelReference).
const baseDeployment =
  config.baseDeployment && baseModel !== undefined
    ? {
        model: baseModel,
        name: config.baseDeploymentName,
        sku: config.baseDeploymentSku,
        capacity: config.baseDeploymentCapacity,
      }
    : undefined;
const platform: AccountTarget = config.existingAccount
  ? new ConnectedAccount(prefix, {
      account: config.existingAccount,
      location: config.location,
      baseModel: config.baseModel,
      model: findModel(config.baseModel)?.model,
      baseDeployment,
      existingBaseDeploymentName: config.existingBaseDeploymentName,
    })
  : new FineTuningPlatform(prefix, {
      location: config.location,
      environment: config.environment,
      existingResourceGroupName: config.existingResourceGroupName,
      accountKind: config.accountKind,
      accountSku: config.accountSku,
      disableLocalAuth: config.disableLocalAuth,
      publicNetworkAccess: config.publicNetworkAccess,
      allowedIpRanges: config.allowedIpRanges,
      baseDeployment,
      foundryProject: config.foundryProject,
      purgeOnDestroy: config.purgeOnDestroy,
      protectAccount: config.protectAccount,
      retainAccountOnDelete: config.retainAccountOnDelete,
      accountName:
        config.accountName !== undefined
          ? { name: config.accountName, subdomain: config.accountSubdomain ?? config.accountName }
          : undefined,
      subscriptionId: client.subscriptionId,
      tags: config.tags,
    });

// --- Data-plane access: the deploying principal and configured principals ----------------
const access = new AccountAccess(`${prefix}-access`, {
  scope: platform.accountId,
  subscriptionId: client.subscriptionId,
  // Declared grants only: who runs `up` (a person bootstrapping, or the CI identity, which
  // CiIdentity grants itself) never changes what is deployed. A person running `up` lists
  // themselves (or a group) in `principals`.
  grants: [
    ...config.principals.map((p) => ({
      key: `contributor-${p.objectId}`,
      principalId: p.objectId,
      principalType: p.type,
      roleGuid: ROLES.cognitiveServicesOpenAIContributor,
      description: "Configured principal: upload training data, fine-tune, call models",
    })),
    ...config.inferencePrincipals.map((p) => ({
      key: `user-${p.objectId}`,
      principalId: p.objectId,
      principalType: p.type,
      roleGuid: ROLES.cognitiveServicesOpenAIUser,
      description: "Configured principal: call deployed models",
    })),
  ],
});

// --- CI identity for GitHub Actions (OIDC, no secret) ------------------------------------
const ci = config.ciRepository
  ? new CiIdentity(`${prefix}-ci`, {
      repository: config.ciRepository,
      branch: config.ciBranch,
      environments: config.ciEnvironments,
      displayName: `${pulumi.getProject()}-${pulumi.getStack()}-ci`,
      resourceGroupId: platform.resourceGroupId,
      // A connected account's group is not the stack's: grant on the account only.
      connectedAccountId: config.existingAccount ? platform.accountId : undefined,
      subscriptionId: client.subscriptionId,
      // A connected account is never the stack's to purge.
      purge: config.purgeOnDestroy && config.existingAccount === undefined,
    })
  : undefined;

// --- Fine-tuning: training data → job → deployment of the tuned model -------------------
const tuned = new FineTunedModel(`${prefix}-tuned`, {
  endpoint: platform.endpoint,
  accountName: platform.accountName,
  resourceGroupName: platform.resourceGroupName,
  baseModel: config.baseModel,
  trainingFile: config.trainingFile,
  validationFile: config.validationFile,
  epochs: config.epochs,
  batchSize: config.batchSize,
  learningRateMultiplier: config.learningRateMultiplier,
  suffix: config.suffix,
  seed: config.seed,
  trainingType: config.trainingType,
  deadlineMinutes: config.jobDeadlineMinutes,
  apiVersion: config.apiVersion,
  deploymentNamePrefix: config.tunedDeploymentName,
  deploymentSku: config.tunedDeploymentSku,
  deploymentCapacity: config.tunedDeploymentCapacity,
  maxBilledTokens: config.maxBilledTokens,
  maxBilledTokensSetting: `${CONFIG_NAMESPACE}:maxBilledTokens`,
  // Training needs the data-plane roles; only the tuned deployment waits for the other ARM
  // writes on the account.
  dependsOn: [access],
  deploymentDependsOn: platform.accountWrites,
});

export const endpoint = platform.endpoint;
export const accountName = platform.accountName;
export const resourceGroupName = platform.resourceGroupName;
export const baseDeploymentName = platform.baseDeploymentName;
export const tunedDeploymentName = tuned.deploymentName;
export const fineTunedModel = tuned.fineTunedModel;
export const fineTuningJobId = tuned.job.jobId;
export const trainedTokens = tuned.job.trainedTokens;
export const estimatedBilledTokens = tuned.estimatedBilledTokens;
export const ciClientId = ci?.clientId;
export const ciPreviewClientId = ci?.previewClientId;
export const ciTenantId = ci ? client.tenantId : undefined;
