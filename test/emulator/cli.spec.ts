import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** Starts the CLI and resolves with its first two stdout lines. */
function startCli(args: string[]): { child: ChildProcess; lines: Promise<string[]> } {
  const child = spawn(process.execPath, ["scripts/launch.js", "emulator/cli.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = new Promise<string[]>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const got = out.split("\n");
      if (got.length > 2) {
        resolve(got.slice(0, 2));
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`emulator CLI exited with ${code} before printing its endpoint`)),
    );
  });
  return { child, lines };
}

describe("emulator CLI", () => {
  it("prints the endpoint and the given key, serves requests, and stops on SIGTERM", async () => {
    const { child, lines } = startCli(["--port", "0", "--api-key", "cli-key", "--quiet"]);
    try {
      const [endpointLine, keyLine] = await lines;
      expect(endpointLine).to.match(/^endpoint: http:\/\/127\.0\.0\.1:\d+$/);
      expect(keyLine).to.equal("api-key: cli-key");
      const endpoint = endpointLine.slice("endpoint: ".length);
      const res = await fetch(`${endpoint}/openai/models?api-version=2024-10-21`, {
        headers: { "api-key": "cli-key" },
      });
      expect(res.status).to.equal(200);
      // Strict by default: a bearer token the emulator cannot verify is refused, as Azure does.
      const bearer = await fetch(`${endpoint}/openai/models?api-version=2024-10-21`, {
        headers: { authorization: "Bearer some-entra-token" },
      });
      expect(bearer.status).to.equal(401);
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      expect((await exited)[0]).to.equal(0);
    } finally {
      if (child.exitCode === null) {
        child.kill("SIGKILL");
      }
    }
  });

  it("accepts any bearer token with --accept-any-bearer", async () => {
    const { child, lines } = startCli(["--accept-any-bearer", "--quiet"]);
    try {
      const endpoint = (await lines)[0].slice("endpoint: ".length);
      const res = await fetch(`${endpoint}/openai/models?api-version=2024-10-21`, {
        headers: { authorization: "Bearer some-entra-token" },
      });
      expect(res.status).to.equal(200);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("generates a random key when none is given", async () => {
    const { child, lines } = startCli(["--quiet"]);
    try {
      const [, keyLine] = await lines;
      expect(keyLine).to.match(/^api-key: [0-9a-f]{32}$/);
    } finally {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    }
  });
});
