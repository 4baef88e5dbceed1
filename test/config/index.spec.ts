import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { CONFIG_KEYS, ConfigError, parseStackConfig, type StackConfig } from "../../config";
import {
  MODEL_CATALOG,
  modelLifecycleWarnings,
  parseLenientDate,
  tunedDeploymentProblem,
  type CatalogModel,
} from "../../lib/models";
import { PROJECT_ROOT, projectDefaults, stackConfig } from "../support/stackConfig";

/** A setting as an example stack's YAML declares it. */
const declared = (stack: string, key: string): unknown =>
  (
    yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
      config: Record<string, unknown>;
    }
  ).config[`azure-openai-finetune:${key}`];

describe("config", () => {
  describe("parseStackConfig", () => {
    const config: StackConfig = parseStackConfig({}, "dev");

    it("applies every default when nothing is set", () => {
      expect(config).to.deep.equal({
        environment: "dev",
        production: false,
        purgeOnDestroy: true,
        tags: {
          environment: "dev",
          "managed-by": "pulumi",
          "pulumi-project": "azure-openai-finetune",
        },
        location: "swedencentral",
        baseModel: "gpt-4.1-mini-2025-04-14",
        trainingType: "GlobalStandard",
        existingResourceGroupName: undefined,
        accountKind: "AIServices",
        accountSku: "S0",
        disableLocalAuth: true,
        publicNetworkAccess: "Enabled",
        allowedIpRanges: [],
        foundryProject: undefined,
        existingAccount: undefined,
        existingBaseDeploymentName: undefined,
        accountName: undefined,
        accountSubdomain: undefined,
        protectAccount: false,
        retainAccountOnDelete: false,
        trainingFile: "data/travel-assistant.jsonl",
        validationFile: undefined,
        epochs: 3,
        batchSize: "auto",
        learningRateMultiplier: "auto",
        suffix: "travel",
        seed: undefined,
        jobDeadlineMinutes: 240,
        maxBilledTokens: 2000000,
        apiVersion: "2025-04-01-preview",
        baseDeployment: true,
        baseDeploymentName: "gpt-4.1-mini-base",
        baseDeploymentSku: "GlobalStandard",
        baseDeploymentCapacity: 10,
        tunedDeploymentName: "gpt-4.1-mini-travel",
        tunedDeploymentSku: "GlobalStandard",
        tunedDeploymentCapacity: 1,
        deployerPrincipalType: "User",
        principals: [],
        inferencePrincipals: [],
        ciRepository: undefined,
        ciBranch: "main",
        ciEnvironments: ["dev"],
      });
    });

    it("gives Pulumi.yaml's declared defaults the same meaning as the code's", () => {
      expect(parseStackConfig(projectDefaults(), "dev")).to.deep.equal(config);
    });

    it("declares every key but tags in Pulumi.yaml", () => {
      expect(Object.keys(projectDefaults()).sort()).to.deep.equal(
        CONFIG_KEYS.filter((k) => k !== "tags").sort(),
      );
    });

    it("reads the example stacks: dev is not production and purges, prod is production and keeps", () => {
      const dev = parseStackConfig(stackConfig("dev"), "dev");
      expect([
        dev.production,
        dev.purgeOnDestroy,
        dev.baseModel,
        dev.trainingType,
        dev.tunedDeploymentSku,
        dev.tunedDeploymentCapacity,
        dev.seed,
        dev.ciEnvironments,
      ]).to.deep.equal([
        false,
        true,
        "gpt-4.1-mini-2025-04-14",
        "Developer",
        "DeveloperTier",
        50,
        42,
        ["dev"],
      ]);
      const prod = parseStackConfig(stackConfig("prod"), "prod");
      expect([
        prod.production,
        prod.purgeOnDestroy,
        prod.allowedIpRanges,
        prod.principals,
      ]).to.deep.equal([
        true,
        false,
        ["203.0.113.0/24"],
        [{ type: "Group", objectId: "00000000-0000-0000-0000-00000000a11c" }],
      ]);
    });

    it("names the example stacks' models explicitly, not through the program's default", () => {
      expect([declared("dev", "baseModel"), declared("prod", "baseModel")]).to.deep.equal([
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-2025-04-14",
      ]);
    });

    it("chooses the example stacks' models by the documented rule (docs/models.md)", () => {
      // The rule, applied to the catalog's sourced data on the day the models were chosen: GA,
      // the training the stack needs, nothing published past; if none qualifies, the latest
      // base model retirement. A catalog update that changes the answer fails here.
      const today = new Date(Date.UTC(2026, 11, 1));
      const sft = Object.keys(MODEL_CATALOG).filter((id) => {
        const m = MODEL_CATALOG[id];
        return m.status === "GA" && m.methods.includes("supervised");
      });
      const retirement = (id: string) =>
        parseLenientDate(MODEL_CATALOG[id].lifecycle.retirement?.date ?? "9999-12-31")!.getTime();
      const choose = (qualifies: (m: CatalogModel, id: string) => boolean) => {
        const candidates = sft.filter((id) => qualifies(MODEL_CATALOG[id], id));
        const current = candidates.filter(
          (id) => modelLifecycleWarnings(id, MODEL_CATALOG[id], today).length === 0,
        );
        if (current.length > 0) return current;
        const latest = Math.max(...candidates.map(retirement));
        return candidates.filter((id) => retirement(id) === latest);
      };
      const prodLocation = declared("prod", "location") as string;
      const dev = choose((m) => m.globalTraining && m.developerTraining);
      const prod = choose(
        (m, id) =>
          m.standardRegions.includes(prodLocation) &&
          tunedDeploymentProblem(id, m, "Standard", prodLocation) === undefined,
      );
      expect(dev).to.include(declared("dev", "baseModel"));
      expect(prod).to.include(declared("prod", "baseModel"));
      // Nothing qualifies on that day, so these are the latest-dated (docs/models.md).
      expect([dev, prod]).to.deep.equal([
        ["gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14", "gpt-4.1-nano-2025-04-14"],
        ["gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14", "gpt-4.1-nano-2025-04-14"],
      ]);
    });

    it("reports a key the program does not read", () => {
      expect(() => parseStackConfig({ loction: "eastus" }, "dev")).to.throw(
        ConfigError,
        "Invalid stack configuration:\n  - `azure-openai-finetune:loction` is not a setting of this program; remove it or check its spelling",
      );
    });

    it("reports every problem of every concern at once, in one error", () => {
      expect(() =>
        parseStackConfig(
          {
            epochs: "0",
            location: "westus9",
            principals: "x",
            ciRepository: "ml",
            accountKind: "Basic",
          },
          "dev",
        ),
      )
        .to.throw(ConfigError)
        .with.property("problems")
        .that.deep.equals([
          '`azure-openai-finetune:location` is "westus9"; use a region that offers fine-tuning: australiaeast, brazilsouth, canadacentral, canadaeast, eastus, eastus2, francecentral, germanywestcentral, italynorth, japaneast, koreacentral, northcentralus, norwayeast, polandcentral, southafricanorth, southcentralus, southeastasia, southindia, spaincentral, swedencentral, switzerlandnorth, switzerlandwest, uksouth, westeurope, westus, westus3',
          '`azure-openai-finetune:epochs` is "0"; use "auto" or a whole number from 1 to 50',
          '`azure-openai-finetune:accountKind` is "Basic"; allowed values: AIServices, OpenAI',
          '`azure-openai-finetune:principals` is "x"; use a list of "Type:objectId" entries (set it with `pulumi config set --path` or as YAML in the stack file)',
          '`azure-openai-finetune:ciRepository` is "ml"; use the GitHub "owner/repository" form, e.g. contoso/ml-platform',
        ]);
    });
  });
});
