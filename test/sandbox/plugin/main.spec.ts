import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { installPlugins, launcher } from "../../../sandbox/install";
import { refusal, SANDBOX_ENV } from "../../../sandbox/plugin/main";

const REPO = path.resolve(__dirname, "..", "..", "..");

/** Starts a launcher like the engine does and resolves the port it prints. */
function start(
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, ["127.0.0.1:1"], {
      cwd: REPO,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve({ child, port: Number(line[1]) });
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => reject(new Error(`plugin exited ${code}: ${err}`)));
  });
}

function call<Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    fn(req, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

describe("sandbox/plugin/main", () => {
  it("refuses to run without the sandbox variable, or with a PULUMI_HOME outside the sandbox", () => {
    expect(refusal({ PULUMI_HOME: "/x/.sandbox/pulumi-home" })).to.match(
      /^AZURE_OPENAI_FINETUNE_SANDBOX is not set\. This is the sandbox's simulator, not the real provider/,
    );
    expect(refusal({ [SANDBOX_ENV]: "/x/.sandbox", PULUMI_HOME: "/home/u/.pulumi" })).to.equal(
      "PULUMI_HOME (/home/u/.pulumi) is not inside the sandbox /x/.sandbox; the simulator only serves the sandbox's own plugin cache.",
    );
    expect(
      refusal({ [SANDBOX_ENV]: "/x/.sandbox", PULUMI_HOME: "/x/.sandbox/pulumi-home" }),
    ).to.equal(undefined);
  });

  it("writes launchers where the engine looks for the SDKs' exact versions", () => {
    const sandbox = fs.mkdtempSync(path.join(REPO, ".sandbox-test-"));
    const home = path.join(sandbox, "pulumi-home");
    try {
      expect(installPlugins(sandbox, home)).to.deep.equal([
        path.join(home, "plugins", "resource-azure-native-v3.28.0", "pulumi-resource-azure-native"),
        path.join(home, "plugins", "resource-azuread-v6.9.1", "pulumi-resource-azuread"),
      ]);
      const file = path.join(home, "plugins", "resource-azuread-v6.9.1", "pulumi-resource-azuread");
      const mainJs = path.join(sandbox, "simulators", "sandbox", "plugin", "main.js");
      expect(fs.readFileSync(file, "utf8")).to.equal(launcher("azuread", mainJs));
      expect(fs.statSync(file).mode & 0o777).to.equal(0o755);
      expect(fs.existsSync(mainJs)).to.equal(true);
    } finally {
      fs.rmSync(sandbox, { recursive: true, force: true });
    }
  });

  describe("as the engine starts it", function () {
    this.timeout(60_000);
    let dir: string;
    let plugin: string;
    before(() => {
      // Inside the repository, as .sandbox/ is: the transpiled plugins resolve node_modules from there.
      dir = fs.mkdtempSync(path.join(REPO, ".sandbox-test-"));
      plugin = installPlugins(dir, path.join(dir, "pulumi-home"))[0];
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("exits 1 outside a sandbox", async () => {
      let error: Error | undefined;
      await start(plugin, {
        PATH: process.env.PATH,
        PULUMI_HOME: path.join(dir, "pulumi-home"),
      }).catch((e: Error) => (error = e));
      expect(error?.message).to.match(
        /^plugin exited 1: \[azure-native simulator\] refusing to start: AZURE_OPENAI_FINETUNE_SANDBOX is not set/,
      );
    });

    it("prints its port, then answers Handshake, Configure (supportsPreview), GetPluginInfo and Check", async () => {
      const env = {
        PATH: process.env.PATH,
        PULUMI_HOME: path.join(dir, "pulumi-home"),
        [SANDBOX_ENV]: dir,
      };
      const { child, port } = await start(plugin, env);
      const client = new ResourceProviderClient(
        `127.0.0.1:${port}`,
        grpc.credentials.createInsecure(),
      );
      try {
        const hs = await call<proto.ProviderHandshakeRequest, proto.ProviderHandshakeResponse>(
          client.handshake.bind(client),
          new proto.ProviderHandshakeRequest(),
        );
        expect(hs.getAcceptSecrets()).to.equal(false);
        const conf = new proto.ConfigureRequest();
        conf.setArgs(Struct.fromJavaScript({ version: "3.28.0", subscriptionId: "s-1" }));
        conf.setSendsOldInputs(true);
        const configured = await call<proto.ConfigureRequest, proto.ConfigureResponse>(
          client.configure.bind(client),
          conf,
        );
        expect(configured.getSupportspreview()).to.equal(true);
        const info = await call<Empty, PluginInfo>(client.getPluginInfo.bind(client), new Empty());
        expect(info.getVersion()).to.equal("3.28.0");
        const check = new proto.CheckRequest();
        check.setUrn("urn:pulumi:sandbox::p::azure-native:resources:ResourceGroup::ft-sandbox-rg");
        check.setType("azure-native:resources:ResourceGroup");
        check.setName("ft-sandbox-rg");
        check.setNews(Struct.fromJavaScript({ location: "swedencentral" }));
        check.setRandomseed(new Uint8Array([7, 7, 7]));
        const checked = await call<proto.CheckRequest, proto.CheckResponse>(
          client.check.bind(client),
          check,
        );
        const inputs = checked.getInputs()?.toJavaScript() ?? {};
        expect(inputs.resourceGroupName).to.match(/^ft-sandbox-rg[0-9a-f]{8}$/);
        expect(inputs.azureApiVersion).to.equal("2024-03-01");
      } finally {
        client.close();
        child.kill();
      }
    });
  });
});
