import { expect } from "chai";
import { FakeRunner } from "./support";

const ENV = {
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "contoso/ml",
  GITHUB_RUN_ID: "777",
  GITHUB_REF_NAME: "main",
};
const RUN = "https://github.com/contoso/ml/actions/runs/777";
const TITLE = "Drift: stack dev no longer matches its Azure resources";
const OPEN_ISSUE = JSON.stringify([{ number: 12, title: TITLE }]);

const urn = (type: string, name: string) =>
  `[urn=urn:pulumi:dev::azure-openai-finetune::${type}::${name}]`;

// `pulumi refresh --preview-only --diff` output: Azure deleted the tuned (Developer) deployment.
const EXPIRED = `Previewing refresh (dev):

  - azure-native:cognitiveservices:Deployment: (delete)
      [id=/subscriptions/s/resourceGroups/ft-dev-rg/providers/Microsoft.CognitiveServices/accounts/a/deployments/gpt-4.1-mini-travel-dev]
      ${urn("azure-openai-finetune:model:FineTunedModel$azure-native:cognitiveservices:Deployment", "ft-dev-tuned-deployment")}
Resources:
    - 1 to delete
    20 unchanged
`;

// The base deployment deleted and the account's tags edited: not an expiry.
const DRIFTED = `Previewing refresh (dev):

  ~ azure-native:cognitiveservices:Account: (update)
      [id=/subscriptions/s/resourceGroups/ft-dev-rg/providers/Microsoft.CognitiveServices/accounts/a]
      ${urn("azure-openai-finetune:platform:FineTuningPlatform$azure-native:cognitiveservices:Account", "ft-dev-account")}
    ~ tags: {
        + owner: "someone"
      }
  - azure-native:cognitiveservices:Deployment: (delete)
      [id=/subscriptions/s/resourceGroups/ft-dev-rg/providers/Microsoft.CognitiveServices/accounts/a/deployments/gpt-4.1-mini]
      ${urn("azure-openai-finetune:platform:FineTuningPlatform$azure-native:cognitiveservices:Deployment", "ft-dev-base")}
Resources:
    ~ 1 to update
    - 1 to delete
    19 unchanged
`;

describe(".github/scripts/drift-issue.sh", () => {
  let runner: FakeRunner;
  beforeEach(() => (runner = new FakeRunner()));
  afterEach(() => runner.remove());

  const report = (code: string, output: string, env: Record<string, string> = {}) =>
    runner.run("drift-issue.sh", ["dev", code, runner.file("refresh.txt", output)], {
      ...ENV,
      ...env,
    });

  it("closes the stack's open drift issue when the stack is clean", () => {
    const result = report("0", "", { FAKE_GH_ISSUES: OPEN_ISSUE });
    expect(result.status).to.equal(0);
    expect(result.gh.slice(1)).to.deep.equal([
      [
        "issue",
        "close",
        "12",
        "--repo",
        "contoso/ml",
        "--comment",
        `No drift in stack \`dev\` as of ${RUN}.`,
      ],
    ]);
  });

  it("reports Azure's deletion of the tuned deployment as an expected expiry and dispatches the redeploy", () => {
    const result = report("7", EXPIRED, { REPAIR: "true" });
    expect(result.status).to.equal(0);
    expect(result.stdout.split("\n")[0]).to.equal(
      "::notice title=Expected expiry in stack dev::ft-dev-tuned-deployment was deleted by Azure (Developer deployments after 24 h, idle fine-tuned deployments after 15 days); the fine-tuned model remains and the next up redeploys it without training",
    );
    expect(result.gh[0]).to.deep.equal([
      "workflow",
      "run",
      "deploy.yml",
      "--repo",
      "contoso/ml",
      "--ref",
      "main",
      "-f",
      "stack=dev",
    ]);
    expect(result.gh.filter((c) => c[1] === "create")).to.deep.equal([]);
  });

  it("only reports an expected expiry where repair is off (a stack whose deploy needs approval)", () => {
    const result = report("7", EXPIRED, { REPAIR: "false" });
    expect(result.status).to.equal(0);
    expect(result.gh.map((c) => `${c[0]} ${c[1]}`)).to.deep.equal(["issue list"]);
    expect(result.stdout).to.include(
      "stack dev: run the deploy workflow for dev to redeploy (it needs the environment's approval)",
    );
  });

  it("opens one issue for real drift, listing each changed resource, and fails", () => {
    const result = report("7", DRIFTED, { REPAIR: "true" });
    expect(result.status).to.equal(1);
    const create = result.gh.find((c) => c[0] === "issue" && c[1] === "create")!;
    expect(create.slice(0, 8)).to.deep.equal([
      "issue",
      "create",
      "--repo",
      "contoso/ml",
      "--title",
      TITLE,
      "--label",
      "drift",
    ]);
    expect(create[9]).to.include(
      "~ azure-native:cognitiveservices:Account: (update)  ft-dev-account\n- azure-native:cognitiveservices:Deployment: (delete)  ft-dev-base\n",
    );
    expect(create[9]).to.include(RUN);
    expect(result.gh.some((c) => c[0] === "workflow")).to.equal(false);
    expect(result.stdout.trim()).to.equal(
      "::error title=Drift in stack dev::opened https://github.com/contoso/ml/issues/42",
    );
  });

  it("comments on the stack's open issue instead of opening a second one", () => {
    const result = report("7", DRIFTED, { FAKE_GH_ISSUES: OPEN_ISSUE });
    expect(result.status).to.equal(1);
    expect(result.gh.map((c) => c.slice(0, 3).join(" "))).to.deep.equal([
      "label create drift",
      "issue list --repo",
      "issue comment 12",
    ]);
  });

  it("passes a failed check's exit code through without touching issues", () => {
    const result = report("255", "error: failed to decrypt\n");
    expect([result.status, result.gh]).to.deep.equal([255, []]);
    expect(result.stdout.trim()).to.equal(
      "::error title=Drift check failed for stack dev::pulumi refresh exited with 255 (not a drift result); see the log above",
    );
  });
});
