import { expect } from "chai";
import { request as httpRequest } from "node:http";
import { PartHeaderScanner } from "../../../emulator/dataPlane/multipart";
import type { RunningEmulator } from "../../../emulator/server";
import { GA, startFast, trainingJsonl } from "../support";

const B = "emulatorBoundary42";

/** Builds a multipart body by hand, so tests can get it wrong on purpose. */
function form(parts: { headers: string[]; body: string }[], boundary = B): string {
  return (
    parts.map((p) => `--${boundary}\r\n${p.headers.join("\r\n")}\r\n\r\n${p.body}\r\n`).join("") +
    `--${boundary}--\r\n`
  );
}

const PURPOSE = { headers: ['Content-Disposition: form-data; name="purpose"'], body: "fine-tune" };

function filePart(
  headers: string[] = ["Content-Type: application/octet-stream"],
  name = "a.jsonl",
) {
  return {
    headers: [`Content-Disposition: form-data; name="file"; filename="${name}"`, ...headers],
    body: trainingJsonl().toString("utf8"),
  };
}

async function post(
  emulator: RunningEmulator,
  body: string | Buffer,
  contentType = `multipart/form-data; boundary=${B}`,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emulator.endpoint}/openai/files?api-version=${GA}`, {
    method: "POST",
    headers: { "api-key": emulator.apiKey, "content-type": contentType },
    body,
  });
  return { status: res.status, body: await res.json() };
}

function invalid(message: string, target?: string) {
  return { error: { code: "invalidPayload", message, ...(target ? { target } : {}) } };
}

describe("emulator multipart bodies", () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startFast({ limits: { maxFileBytes: 4096 } });
  });
  afterEach(() => emulator.admin.reset());
  after(() => emulator.close());

  it("accepts a well-formed upload", async () => {
    const res = await post(emulator, form([PURPOSE, filePart()]));
    expect(res.status).to.equal(201);
  });

  it("refuses a file part without a Content-Type, or with an empty one, with Azure's 400", async () => {
    for (const headers of [[], ["Content-Type: "]]) {
      const res = await post(emulator, form([PURPOSE, filePart(headers)]));
      expect(res.status, JSON.stringify(headers)).to.equal(400);
      expect(res.body).to.deep.equal(
        invalid("The file has no or an empty content type specified."),
      );
    }
  });

  it("answers malformed multipart bodies with 400, never 500", async () => {
    const good = form([PURPOSE, filePart()]);
    const cases: [string, string, string][] = [
      ["no boundary", good, "multipart/form-data"],
      ["wrong boundary", good, "multipart/form-data; boundary=other"],
      ["truncated", good.slice(0, good.length / 2), `multipart/form-data; boundary=${B}`],
      ["garbage", "\u0000\u0001 not a form at all", `multipart/form-data; boundary=${B}`],
    ];
    for (const [what, body, contentType] of cases) {
      const res = await post(emulator, body, contentType);
      expect(res.status, what).to.equal(400);
      expect((res.body as { error: { code: string } }).error.code, what).to.equal("invalidPayload");
    }
    expect((await post(emulator, good, "multipart/form-data")).body).to.deep.equal(
      invalid(
        "The request body is not valid multipart/form-data: the Content-Type has no boundary.",
      ),
    );
  });

  it("refuses an empty filename", async () => {
    const res = await post(emulator, form([PURPOSE, filePart(undefined, "")]));
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal(
      invalid("The file has no name; send a filename in the part's Content-Disposition.", "file"),
    );
  });

  it("answers a non-multipart, non-JSON body with invalidPayload, not the framework's body", async () => {
    const res = await post(emulator, "<purpose>fine-tune</purpose>", "application/xml");
    expect(res.status).to.equal(415);
    expect(res.body).to.deep.equal(
      invalid(
        "The request's Content-Type is not supported; send application/json, or multipart/form-data to upload a file.",
      ),
    );
  });

  it("refuses an oversize upload from its declared length before reading the body", async () => {
    // Declares 10 MB but sends only the headers: the answer must come without the body.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(`${emulator.endpoint}/openai/files?api-version=${GA}`);
      const req = httpRequest(url, {
        method: "POST",
        headers: {
          "api-key": emulator.apiKey,
          "content-type": `multipart/form-data; boundary=${B}`,
          "content-length": String(10 * 1024 * 1024),
        },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString("utf8")));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: text });
        });
      });
      req.on("error", reject);
      req.write(`--${B}\r\n`);
    });
    expect(answer.status).to.equal(400);
    expect(JSON.parse(answer.body).error.message).to.match(/^The file exceeds the maximum size/);
  });

  it("refuses an oversize streamed upload as soon as it passes the limit", async () => {
    const big = "x".repeat(5000);
    const body = form([PURPOSE, { ...filePart(), body: big }]);
    // A stream has no declared length (chunked transfer).
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    });
    const res = await fetch(`${emulator.endpoint}/openai/files?api-version=${GA}`, {
      method: "POST",
      headers: { "api-key": emulator.apiKey, "content-type": `multipart/form-data; boundary=${B}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).to.equal(
      "The file exceeds the maximum size of 4 KB (4096 bytes). Split the data or use the Uploads API (/openai/uploads) for larger files.",
    );
    expect(emulator.admin.state().files).to.deep.equal([]);
  });

  it("finds part headers split across chunks", () => {
    const scanner = new PartHeaderScanner(B);
    const body = Buffer.from(form([PURPOSE, filePart(["Content-Type: text/csv"])]));
    for (let i = 0; i < body.length; i += 7) {
      scanner.push(body.subarray(i, i + 7));
    }
    expect(scanner.headers).to.deep.equal([
      { name: "purpose", contentType: "" },
      { name: "file", contentType: "text/csv" },
    ]);
  });
});
