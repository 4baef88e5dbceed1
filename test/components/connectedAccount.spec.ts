import { expect } from "chai";
import { connectedAccountProblems } from "../../components/connectedAccount";
import { parseAccountId } from "../../config";
import { findModel } from "../../lib/models";
import { ProgramRun, runProgram, SUBSCRIPTION_ID } from "../support/mockProgram";

const ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/shared-ai/providers/Microsoft.CognitiveServices/accounts/team-openai`;
const account = parseAccountId(ID)!;
const healthy = {
  kind: "AIServices",
  location: "swedencentral",
  properties: {
    customSubDomainName: "team-openai",
    endpoint: "https://team-openai.cognitiveservices.azure.com/",
  },
};
const needs = { account, location: "swedencentral", baseModel: "gpt-4.1-mini-2025-04-14" };

describe("components/connectedAccount", () => {
  describe("connectedAccountProblems", () => {
    it("accepts an AIServices account with a subdomain in the configured region", () => {
      expect(connectedAccountProblems(healthy, needs)).to.deep.equal([]);
    });

    it("reads ARM's display form of the region as the same region", () => {
      expect(
        connectedAccountProblems({ ...healthy, location: "Sweden Central" }, needs),
      ).to.deep.equal([]);
    });

    it("names the missing subdomain, why it is needed and how to add one", () => {
      expect(connectedAccountProblems({ ...healthy, properties: {} }, needs)).to.deep.equal([
        "`azure-openai-finetune:existingAccount` names account team-openai, which has no custom subdomain; Entra ID tokens, which this program uses, need one (https://learn.microsoft.com/azure/ai-services/authentication). Give it one (it cannot be changed later): Set-AzCognitiveServicesAccount -ResourceGroupName shared-ai -Name team-openai -CustomSubdomainName <unique name>, or connect to another account",
      ]);
    });

    it("refuses a kind that cannot fine-tune", () => {
      expect(connectedAccountProblems({ ...healthy, kind: "TextAnalytics" }, needs)).to.deep.equal([
        "`azure-openai-finetune:existingAccount` names account team-openai of kind TextAnalytics, which cannot fine-tune; connect to an AIServices or OpenAI account",
      ]);
    });

    it("refuses a classic OpenAI account for a model tuned only on Foundry resources", () => {
      const openSource = Object.entries(
        require("../../lib/models").MODEL_CATALOG as Record<string, { openAI: boolean }>,
      ).find(([, m]) => !m.openAI);
      expect(openSource, "an open-source model in the catalog").to.not.equal(undefined);
      const [id] = openSource!;
      expect(
        connectedAccountProblems(
          { ...healthy, kind: "OpenAI" },
          { ...needs, baseModel: id, model: findModel(id)!.model },
        ),
      ).to.deep.equal([
        `\`azure-openai-finetune:existingAccount\` names account team-openai of kind OpenAI, but ${id} is fine-tuned only on Foundry (AIServices) accounts; connect to an AIServices account or change \`azure-openai-finetune:baseModel\``,
      ]);
    });

    it("asks for the account's region in location, so the catalog checks apply to it", () => {
      expect(connectedAccountProblems({ ...healthy, location: "eastus2" }, needs)).to.deep.equal([
        '`azure-openai-finetune:existingAccount` names account team-openai in eastus2 but `azure-openai-finetune:location` is "swedencentral"; set `azure-openai-finetune:location` to eastus2 so the model and training type are checked for the account\'s region',
      ]);
    });
  });

  describe("a stack connected to an existing account (under mocks)", () => {
    let run: ProgramRun;
    before(async function () {
      this.timeout(120_000);
      run = await runProgram("dev", { existingAccount: ID, baseDeploymentName: "gpt-4.1-mini" });
    });

    it("declares only the files, job, tuned deployment and CI identity, never the account's resources", () => {
      const declared = run.resources.map((r) => r.type);
      for (const owned of [
        "azure-native:resources:ResourceGroup",
        "azure-native:cognitiveservices:Account",
        "azure-native:cognitiveservices:Project",
        "pulumi-nodejs:dynamic/azure-openai:AccountPurge",
        "azure-native:cognitiveservices:Deployment",
      ]) {
        expect(
          run.resources.filter((r) => r.type === owned).map((r) => r.name),
          owned,
        ).to.deep.equal(owned.endsWith("Deployment") ? ["ft-dev-tuned-deployment"] : []);
      }
      expect(declared).to.include.members([
        "azure-openai-finetune:platform:ConnectedAccount",
        "pulumi-nodejs:dynamic/azure-openai:TrainingFile",
        "pulumi-nodejs:dynamic/azure-openai:FineTuningJob",
      ]);
    });

    it("never gives the CI identity the purge role on a connected account", () => {
      expect(
        run.resources.filter((r) => r.name.endsWith("-purge")).map((r) => r.name),
      ).to.deep.equal([]);
    });

    it("grants the CI identities on the connected account only, never on its group", () => {
      const ci = run.resources.filter(
        (r) =>
          r.type === "azure-native:authorization:RoleAssignment" && r.name.startsWith("ft-dev-ci-"),
      );
      expect(ci.map((r) => `${r.name} ${r.inputs.scope}`).sort()).to.deep.equal([
        `ft-dev-ci-account-access-openai-contributor ${ID}`,
        `ft-dev-ci-account-access-preview-data-read ${ID}`,
        `ft-dev-ci-account-access-preview-reader ${ID}`,
        `ft-dev-ci-account-access-rbac-admin ${ID}`,
      ]);
    });

    it("trains and deploys in the existing account and names the owner's base deployment", () => {
      expect([
        run.outputs.accountName,
        run.outputs.resourceGroupName,
        run.outputs.endpoint,
        run.outputs.baseDeploymentName,
        run.byName("ft-dev-tuned-deployment").inputs.accountName,
        run.byName("ft-dev-tuned-deployment").inputs.resourceGroupName,
      ]).to.deep.equal([
        "team-openai",
        "shared-ai",
        "https://team-openai.cognitiveservices.azure.com/",
        "gpt-4.1-mini",
        "team-openai",
        "shared-ai",
      ]);
    });
  });
});
