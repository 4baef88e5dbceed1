import { expect } from "chai";
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { credentials } from "@grpc/grpc-js";
import * as grpcService from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { TYPES } from "../../policy/resources";
import { PROJECT_ROOT } from "../support/stackConfig";
import { UNKNOWN } from "./support";

/**
 * Boots the pack as the CLI's `pulumi-analyzer-policy` plugin does (node running
 * @pulumi/pulumi/cmd/run-policy-pack on the pack's directory, which type-checks it with ts-node)
 * and talks to it over the Analyzer gRPC service: proof that the pack loads with its imports from
 * ../lib, and that the runtime wraps props and reports violations as the unit tests' harness does.
 */
describe("policy: the pack in @pulumi/policy's analyzer server", function () {
  // ts-node type-checks the pack and the catalog it imports before the server starts.
  this.timeout(180_000);
  let pack: ChildProcess;
  let client: grpcService.AnalyzerClient;

  before(async () => {
    const node = path.join(PROJECT_ROOT, "node_modules", ".bin", "node");
    const runner = path.join(PROJECT_ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
    pack = spawn(node, [runner, "127.0.0.1:1", "."], {
      cwd: path.join(PROJECT_ROOT, "policy"),
      env: {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify({ "azure-openai-finetune:production": "true" }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    pack.stderr!.on("data", (chunk) => (stderr += chunk));
    const port = await new Promise<string>((resolve, reject) => {
      pack.stdout!.once("data", (chunk) => resolve(String(chunk).trim()));
      pack.once("exit", (code) => reject(new Error(`pack exited ${code}: ${stderr}`)));
    });
    client = new grpcService.AnalyzerClient(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  after(() => {
    client?.close();
    pack?.kill();
  });

  it("serves every policy under the pack's name and version", async () => {
    const info = await new Promise<analyzer.AnalyzerInfo>((resolve, reject) =>
      client.getAnalyzerInfo(new Empty(), (err, res) => (err ? reject(err) : resolve(res))),
    );
    expect(info.getName()).to.equal("azure-openai-finetune");
    expect(info.getVersion()).to.equal("0.1.0");
    expect(info.getSupportsconfig()).to.equal(true);
    expect(info.getPoliciesList().map((p) => p.getName())).to.include.members([
      "ai-services-key-access-disabled",
      "network-restricted-in-production",
      "model-retirement",
    ]);
  });

  it("fails a key-enabled production account and cannot judge an unknown firewall", async () => {
    const request = new analyzer.AnalyzeRequest();
    request.setType(TYPES.account);
    request.setName("ft-prod-account");
    request.setUrn(
      "urn:pulumi:prod::azure-openai-finetune::azure-native:cognitiveservices:Account::ft-prod-account",
    );
    request.setProperties(
      Struct.fromJavaScript({
        location: "swedencentral",
        identity: { type: "SystemAssigned" },
        tags: { environment: "prod", owner: "platform-team" },
        properties: { disableLocalAuth: false, networkAcls: UNKNOWN },
      }),
    );
    request.setOptions(new analyzer.AnalyzerResourceOptions());
    const response = await new Promise<analyzer.AnalyzeResponse>((resolve, reject) =>
      client.analyze(request, (err, res) => (err ? reject(err) : resolve(res))),
    );
    const diagnostics = response.getDiagnosticsList().map((d) => ({
      policy: d.getPolicyname(),
      level: d.getEnforcementlevel(),
      message: d.getMessage(),
    }));
    const { ADVISORY, MANDATORY } = analyzer.EnforcementLevel;
    expect(diagnostics).to.deep.include({
      policy: "ai-services-key-access-disabled",
      level: MANDATORY,
      message:
        "The account refuses API keys: every call carries a Microsoft Entra token. Mirrors Azure Policy built-in " +
        '"Azure AI Services resources should have key access disabled (disable local authentication)" (71ef260a-8f18-47b7-abcb-62d0673d94dc, v1.1.0).\n' +
        "properties.disableLocalAuth is false; set `azure-openai-finetune:disableLocalAuth` to true so the account accepts Microsoft Entra tokens only",
    });
    expect(diagnostics).to.deep.include({
      policy: "network-restricted-in-production",
      level: ADVISORY,
      message:
        "can't run policy 'network-restricted-in-production' from policy pack 'azure-openai-finetune@v0.1.0' during preview: string value at .properties.networkAcls can't be known during preview",
    });
  });
});
