import { expect } from "chai";
import { FakeRunner } from "./support";

const DEPLOY = "11111111-1111-1111-1111-111111111111";
const PREVIEW = "22222222-2222-2222-2222-222222222222";
const TENANT = "33333333-3333-3333-3333-333333333333";
const SUBSCRIPTION = "44444444-4444-4444-4444-444444444444";
const VARS = {
  AZURE_CLIENT_ID_DEV: DEPLOY,
  AZURE_PREVIEW_CLIENT_ID_DEV: PREVIEW,
  AZURE_TENANT_ID: TENANT,
  AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
  PULUMI_BACKEND_URL_DEV: "azblob://state-dev?storage_account=contosostate",
  PULUMI_BACKEND_URL: "azblob://state?storage_account=contosostate",
};

describe(".github/scripts/resolve-stack-env.sh", () => {
  let runner: FakeRunner;
  beforeEach(() => (runner = new FakeRunner()));
  afterEach(() => runner.remove());

  const run = (identity: string, vars: Record<string, string>, stack = "dev") =>
    runner.run("resolve-stack-env.sh", [], {
      STACK: stack,
      IDENTITY: identity,
      VARS_JSON: JSON.stringify(vars),
    });

  it("signs deploy jobs in as the deploy identity, with the stack's own state container", () => {
    const result = run("deploy", VARS);
    expect(result.status).to.equal(0);
    expect(result.output).to.deep.equal([
      `client-id=${DEPLOY}`,
      `tenant-id=${TENANT}`,
      `subscription-id=${SUBSCRIPTION}`,
      "stack-name=dev",
      "backend-url=azblob://state-dev?storage_account=contosostate",
    ]);
    expect(result.env).to.deep.equal([
      "ARM_USE_OIDC=true",
      `ARM_CLIENT_ID=${DEPLOY}`,
      `ARM_TENANT_ID=${TENANT}`,
      `ARM_SUBSCRIPTION_ID=${SUBSCRIPTION}`,
      `AZURE_CLIENT_ID=${DEPLOY}`,
      `AZURE_TENANT_ID=${TENANT}`,
      `AZURE_SUBSCRIPTION_ID=${SUBSCRIPTION}`,
      "PULUMI_STACK=dev",
      "PULUMI_SKIP_UPDATE_CHECK=true",
      "PULUMI_BACKEND_URL=azblob://state-dev?storage_account=contosostate",
    ]);
  });

  it("signs previews and drift checks in as the preview identity", () => {
    const result = run("preview", VARS);
    expect(result.status).to.equal(0);
    expect(result.env).to.include(`ARM_CLIENT_ID=${PREVIEW}`);
    expect(result.env).to.include(`AZURE_CLIENT_ID=${PREVIEW}`);
    expect(result.env.join("\n")).to.not.include(DEPLOY);
  });

  it("never falls back from the preview identity to the deploy identity", () => {
    const { AZURE_PREVIEW_CLIENT_ID_DEV, ...deployOnly } = VARS;
    const result = run("preview", deployOnly);
    expect(result.status).to.equal(1);
    expect(result.stdout.trim()).to.equal(
      "::error title=Stack dev is not configured::repository variable AZURE_PREVIEW_CLIENT_ID_DEV (or AZURE_PREVIEW_CLIENT_ID) is not set; copy it from `pulumi stack output ciPreviewClientId --stack dev`",
    );
    expect(result.env).to.deep.equal([]);
  });

  it("uses the plain variables when the stack has none of its own, upper-casing the suffix", () => {
    const result = run(
      "deploy",
      {
        AZURE_CLIENT_ID: DEPLOY,
        AZURE_TENANT_ID: TENANT,
        AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
        PULUMI_BACKEND_URL: "azblob://state?storage_account=contosostate",
        PULUMI_ORG: "contoso",
      },
      "dev-eu",
    );
    expect(result.status).to.equal(0);
    expect(result.output).to.include("stack-name=contoso/dev-eu");
    expect(result.env).to.include("PULUMI_BACKEND_URL=azblob://state?storage_account=contosostate");
  });

  it("names every missing or malformed variable with where its value comes from", () => {
    const result = run("deploy", { AZURE_CLIENT_ID_DEV: "not-a-guid" });
    expect(result.status).to.equal(1);
    expect(result.stdout.trim().split("\n")).to.deep.equal([
      '::error title=Stack dev is not configured::AZURE_CLIENT_ID_DEV/AZURE_CLIENT_ID is "not-a-guid", not a GUID; copy it from `pulumi stack output ciClientId --stack dev`',
      "::error title=Stack dev is not configured::repository variable AZURE_TENANT_ID_DEV (or AZURE_TENANT_ID) is not set; copy it from `pulumi stack output ciTenantId --stack dev`",
      "::error title=Stack dev is not configured::repository variable AZURE_SUBSCRIPTION_ID_DEV (or AZURE_SUBSCRIPTION_ID) is not set; use the subscription the stack deploys to (`az account show --query id`)",
      "::error title=Stack dev is not configured::neither repository variable PULUMI_BACKEND_URL_DEV (or PULUMI_BACKEND_URL: azblob://<container>?storage_account=<account>) nor secret PULUMI_ACCESS_TOKEN (Pulumi Cloud) is set; configure one state backend",
    ]);
  });

  it("refuses an identity other than deploy or preview", () => {
    const result = run("admin", VARS);
    expect([result.status, result.stdout.trim()]).to.deep.equal([
      1,
      '::error::IDENTITY is "admin"; use deploy or preview',
    ]);
  });
});
