import { expect } from "chai";
import { connect } from "node:net";
import type { RunningEmulator } from "../../emulator/server";
import { GA, raw, startFast } from "./support";

describe("emulator server (routing, headers, framework errors)", () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startFast();
  });
  after(() => emulator.close());

  describe("routing and headers", () => {
    it("answers unknown routes with Azure's 404 body", async () => {
      const res = await raw(emulator, "GET", `/openai/nothing/here?api-version=${GA}`);
      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ error: { code: "404", message: "Resource not found" } });
    });

    it("sends the same apim-request-id and x-request-id on every response, fresh per request", async () => {
      const first = await raw(emulator, "GET", `/openai/models?api-version=${GA}`);
      const second = await raw(emulator, "GET", "/openai/files");
      const id = first.headers.get("apim-request-id");
      expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(first.headers.get("x-request-id")).to.equal(id);
      expect(second.headers.get("apim-request-id")).to.not.equal(id);
    });

    it("answers malformed JSON with invalidPayload", async () => {
      const res = await fetch(`${emulator.endpoint}/openai/fine_tuning/jobs?api-version=${GA}`, {
        method: "POST",
        headers: { "api-key": emulator.apiKey, "content-type": "application/json" },
        body: "{not json",
      });
      expect(res.status).to.equal(400);
      expect(await res.json()).to.deep.equal({
        error: { code: "invalidPayload", message: "The request body is not valid JSON." },
      });
    });

    it("answers a malformed URL and malformed HTTP with a JSON 400, not the framework's body", async () => {
      const url = await raw(emulator, "GET", `/openai/files/%zz?api-version=${GA}`);
      expect(url.status).to.equal(400);
      expect(url.body).to.deep.equal({
        error: { code: "invalidPayload", message: "The request URL is not valid." },
      });
      const port = Number(new URL(emulator.endpoint).port);
      const answer = await new Promise<string>((resolve, reject) => {
        let text = "";
        const socket = connect(port, "127.0.0.1", () => {
          socket.write("GET /openai/files HTTP/1.1\r\nBad Header Line\r\n\r\n");
        });
        socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer.split("\r\n")[0]).to.equal("HTTP/1.1 400 Bad Request");
      expect(JSON.parse(answer.split("\r\n\r\n")[1])).to.deep.equal({
        error: { code: "invalidPayload", message: "The request is not valid HTTP/1.1." },
      });
    });

    it("binds to 127.0.0.1 on a random port", () => {
      expect(emulator.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.endpoint).to.not.equal("http://127.0.0.1:0");
    });
  });
});
