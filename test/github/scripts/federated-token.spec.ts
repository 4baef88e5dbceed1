import { expect } from "chai";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { FakeRunner } from "./support";

const OIDC = {
  ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/token?api-version=2.0",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-credential",
};

/** Polls `read` until it returns `want` or 15 s pass (the refresher runs on its own clock). */
async function eventually(read: () => string, want: string): Promise<string> {
  let seen = read();
  for (let i = 0; i < 150 && seen !== want; i++) {
    await new Promise((r) => setTimeout(r, 100));
    seen = read();
  }
  return seen;
}

describe(".github/scripts/federated-token.sh", () => {
  let runner: FakeRunner;
  let refresher: number | undefined;
  beforeEach(() => (runner = new FakeRunner()));
  afterEach(() => {
    if (refresher !== undefined) process.kill(refresher);
    refresher = undefined;
    runner.remove();
  });

  it("writes a token for Entra's audience, exports its path and keeps it fresh", async function () {
    this.timeout(30_000);
    const result = runner.run("federated-token.sh", [], { ...OIDC, REFRESH_SECONDS: "1" });
    refresher = Number(/\(pid (\d+)\)/.exec(result.stdout)?.[1]);
    expect(result.status, result.stderr).to.equal(0);
    const tokenFile = join(runner.dir, "azure-federated-token");
    expect(result.env).to.deep.equal([`AZURE_FEDERATED_TOKEN_FILE=${tokenFile}`]);
    expect(result.curl[0]).to.include.members([
      "Authorization: bearer request-credential",
      "https://token.actions.example/token?api-version=2.0&audience=api://AzureADTokenExchange",
    ]);
    expect(statSync(tokenFile).mode & 0o777).to.equal(0o600);
    expect(readFileSync(tokenFile, "utf8")).to.equal("token-1");
    const read = () => readFileSync(tokenFile, "utf8");
    expect(await eventually(read, "token-2")).to.equal("token-2");
  });

  it("fails when GitHub hands out no token", () => {
    const result = runner.run("federated-token.sh", [], { ...OIDC, FAKE_CURL_FAIL: "1" });
    expect([result.status, result.stdout.trim()]).to.deep.equal([
      1,
      "::error::could not get a GitHub OIDC token for audience api://AzureADTokenExchange",
    ]);
    expect(result.env).to.deep.equal([]);
  });

  it("names the missing id-token permission", () => {
    const result = runner.run("federated-token.sh", []);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include(
      "no OIDC token endpoint; give the job `permissions: id-token: write`",
    );
  });
});
