import { expect } from "chai";
import { RunningEmulator, startEmulator } from "../../../emulator/server";
import { createAzureOpenAI } from "../../../lib/azure/client";
import { AzureRequestError, isAzureRequestError } from "../../../lib/azure/errors";
import { retryDelayMs, retryReason, withRetries } from "../../../lib/azure/retry";

/** An error shaped like the openai SDK's APIError. */
function apiError(
  status: number,
  headers: Record<string, string> = {},
  code = "tooManyRequests",
): Error {
  return Object.assign(new Error(`${status} boom`), {
    status,
    headers: new Headers(headers),
    error: { code, message: "boom" },
  });
}

describe("lib/azure/retry", () => {
  let emulator: RunningEmulator;
  let savedKey: string | undefined;
  let sleeps: number[];
  let lines: string[];
  const recorder = () => ({
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    log: (line: string) => lines.push(line),
  });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    savedKey = process.env.AZURE_OPENAI_API_KEY;
    process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
  });
  after(async () => {
    await emulator.close();
    if (savedKey === undefined) delete process.env.AZURE_OPENAI_API_KEY;
    else process.env.AZURE_OPENAI_API_KEY = savedKey;
  });
  beforeEach(() => {
    emulator.admin.reset();
    sleeps = [];
    lines = [];
  });

  it("retries a 429 after the delay Azure asks for, with one progress line per retry", async () => {
    const client = await createAzureOpenAI(emulator.endpoint);
    emulator.admin.injectFault({
      kind: "throttle",
      path: "/openai/files",
      count: 2,
      retryAfterMs: 1500,
    });
    const page = await withRetries("list files", () => client.files.list(), recorder());
    expect(page.data).to.deep.equal([]);
    expect(sleeps).to.deep.equal([1500, 1500]);
    expect(lines).to.deep.equal([
      "retrying list files after 429 in 1.5 s (attempt 2/6)",
      "retrying list files after 429 in 1.5 s (attempt 3/6)",
    ]);
    expect(emulator.admin.counters().routes).to.deep.equal({ "GET /openai/files": 3 });
  });

  describe("while a new role assignment applies (Entra auth)", () => {
    let savedWait: string | undefined;
    beforeEach(() => {
      savedWait = process.env.AZURE_OPENAI_ROLE_WAIT_MS;
      process.env.AZURE_OPENAI_ROLE_WAIT_MS = "60000";
      delete process.env.AZURE_OPENAI_API_KEY;
    });
    afterEach(() => {
      process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
      if (savedWait === undefined) delete process.env.AZURE_OPENAI_ROLE_WAIT_MS;
      else process.env.AZURE_OPENAI_ROLE_WAIT_MS = savedWait;
    });

    it("retries 401 and 403 within the window, then succeeds", async () => {
      const answers = [
        apiError(401, {}, "PermissionDenied"),
        apiError(403, {}, "PermissionDenied"),
      ];
      const result = await withRetries(
        "upload training file",
        async () => {
          const next = answers.shift();
          if (next) throw next;
          return "uploaded";
        },
        recorder(),
      );
      expect(result).to.equal("uploaded");
      expect(sleeps).to.deep.equal([5000, 5000]);
      expect(lines).to.deep.equal([
        "upload training file got 401: a new role assignment takes up to 5 minutes to apply; retrying in 5.0 s (5 of 60 s)",
        "upload training file got 403: a new role assignment takes up to 5 minutes to apply; retrying in 5.0 s (10 of 60 s)",
      ]);
    });

    // Bodies as users saw them on live Azure: Azure-Samples/azure-sql-db-chatbot#3 (with header
    // policy-id: ThrowExceptionDueToTrafficDenied) and continuedev/continue#12547.
    const firewall: [string, Record<string, string>][] = [
      [
        "Access denied due to Virtual Network/Firewall rules.",
        { "policy-id": "ThrowExceptionDueToTrafficDenied" },
      ],
      [
        "A Virtual Network is configured for this resource. Please use the correct endpoint for making requests. Check https://aka.ms/cogsvc-vnet for more details.",
        {},
      ],
    ];
    for (const [message, headers] of firewall) {
      it(`fails at once on the firewall's 403, naming allowedIpRanges: "${message.slice(0, 40)}…"`, async () => {
        let calls = 0;
        const refusal = Object.assign(new Error(`403 ${message}`), {
          status: 403,
          headers: new Headers(headers),
          error: { code: "403", message },
        });
        const err = await withRetries(
          "upload training file",
          async () => {
            calls++;
            throw refusal;
          },
          recorder(),
        ).then(
          () => undefined,
          (e: Error) => e,
        );
        expect([calls, sleeps, lines]).to.deep.equal([1, [], []]);
        expect(err!.message).to.equal(
          `upload training file failed: 403: ${message} (the account's firewall refused this caller's address, ` +
            "which no role can fix: run `pulumi up` from an address inside the stack's `allowedIpRanges` " +
            "(config azure-openai-finetune:allowedIpRanges), e.g. the self-hosted runner whose egress range is " +
            "listed there, or add this machine's range to it)",
        );
      });
    }

    it("gives up with the Azure error once the window is used", async () => {
      let calls = 0;
      let message = "";
      try {
        await withRetries(
          "upload training file",
          async () => {
            calls++;
            throw apiError(401, {}, "PermissionDenied");
          },
          recorder(),
        );
      } catch (err) {
        message = (err as Error).message;
      }
      expect(calls).to.equal(13);
      expect(sleeps.reduce((a, b) => a + b, 0)).to.equal(60000);
      expect(message).to.match(/^upload training file failed: 401/);
    });

    it("does not retry a 401 when an API key was used", async () => {
      process.env.AZURE_OPENAI_API_KEY = "wrong";
      let calls = 0;
      try {
        await withRetries(
          "list files",
          async () => {
            calls++;
            throw apiError(401, {}, "401");
          },
          recorder(),
        );
      } catch {
        // expected
      }
      expect([calls, sleeps]).to.deep.equal([1, []]);
    });
  });

  it("retries 500s with exponential backoff when Azure sends no Retry-After", async () => {
    const client = await createAzureOpenAI(emulator.endpoint);
    emulator.admin.injectFault({ kind: "serverError", path: "/openai/files", count: 3 });
    await withRetries("list files", () => client.files.list(), recorder());
    expect(sleeps).to.deep.equal([1000, 2000, 4000]);
    expect(lines[2]).to.equal("retrying list files after 500 in 4.0 s (attempt 4/6)");
    expect(emulator.admin.counters().routes).to.deep.equal({ "GET /openai/files": 4 });
  });

  it("retries a dropped connection once it is re-established", async () => {
    const client = await createAzureOpenAI(emulator.endpoint);
    emulator.admin.injectFault({ kind: "drop", path: "/openai/files" });
    await withRetries("list files", () => client.files.list(), recorder());
    expect(lines).to.deep.equal([
      "retrying list files after connection error UND_ERR_SOCKET in 1.0 s (attempt 2/6)",
    ]);
    expect(emulator.admin.counters().routes).to.deep.equal({ "GET /openai/files": 2 });
  });

  it("reports a connection that keeps dropping with its network code and cause", async () => {
    const client = await createAzureOpenAI(emulator.endpoint);
    emulator.admin.injectFault({ kind: "drop", path: "/openai/files", count: 2 });
    const err = await withRetries("list files", () => client.files.list(), {
      ...recorder(),
      maxAttempts: 2,
    }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).to.equal("list files failed: connection error (UND_ERR_SOCKET): other side closed");
    expect(emulator.admin.counters().routes).to.deep.equal({ "GET /openai/files": 2 });
  });

  it("gives up after maxAttempts with an error naming the operation, status, code and message", async () => {
    const client = await createAzureOpenAI(emulator.endpoint);
    emulator.admin.injectFault({ kind: "serverError", path: "/openai/files", count: 10 });
    const err = await withRetries("list files", () => client.files.list(), {
      ...recorder(),
      maxAttempts: 3,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAzureRequestError(err)).to.equal(true);
    expect((err as Error).message).to.equal(
      "list files failed: 500 InternalServerError: The server had an error while processing your request. Sorry about that!",
    );
    expect(emulator.admin.counters().routes).to.deep.equal({ "GET /openai/files": 3 });
  });

  it("does not retry a 404 and reports Azure's code and message", async () => {
    const client = await createAzureOpenAI(emulator.endpoint);
    const err = await withRetries(
      "read training file",
      () => client.files.retrieve("file-missing"),
      recorder(),
    ).then(
      () => undefined,
      (e: unknown) => e as AzureRequestError,
    );
    expect(err?.message).to.equal(
      "read training file failed: 404 notFound: File with id 'file-missing' was not found.",
    );
    expect([err?.status, err?.code]).to.deep.equal([404, "notFound"]);
    expect(sleeps).to.deep.equal([]);
    expect(emulator.admin.counters().total).to.equal(1);
  });

  it("honours retry-after-ms before retry-after, an HTTP date, and caps long waits at 120 s", () => {
    expect(
      retryDelayMs(apiError(429, { "retry-after-ms": "250", "retry-after": "9" }), 1),
    ).to.equal(250);
    expect(retryDelayMs(apiError(429, { "retry-after": "3" }), 1)).to.equal(3000);
    const inTenSeconds = new Date(Date.now() + 10_500).toUTCString();
    expect(retryDelayMs(apiError(503, { "retry-after": inTenSeconds }), 1)).to.be.within(
      9000,
      10_500,
    );
    expect(retryDelayMs(apiError(429, { "retry-after": "600" }), 1)).to.equal(120_000);
    expect([1, 2, 5, 6, 7].map((attempt) => retryDelayMs(apiError(500), attempt))).to.deep.equal([
      1000, 2000, 16_000, 30_000, 30_000,
    ]);
  });

  it("retries 408, 409, 429 and 5xx but not other 4xx, refused connections or x-should-retry: false", () => {
    const refused = Object.assign(new Error("Connection error."), {
      cause: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
    });
    expect(
      [
        apiError(408),
        apiError(409),
        apiError(429),
        apiError(502),
        apiError(400),
        apiError(401),
        apiError(404),
        apiError(503, { "x-should-retry": "false" }),
        refused,
      ].map(retryReason),
    ).to.deep.equal([
      "408",
      "409",
      "429",
      "502",
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("shrinks the backoff through AZURE_OPENAI_RETRY_BASE_MS, read at call time", async () => {
    const saved = process.env.AZURE_OPENAI_RETRY_BASE_MS;
    process.env.AZURE_OPENAI_RETRY_BASE_MS = "5";
    try {
      let calls = 0;
      await withRetries(
        "flaky call",
        async () => {
          if (++calls < 3) throw apiError(500);
          return "ok";
        },
        recorder(),
      );
      expect(sleeps).to.deep.equal([5, 10]);
    } finally {
      if (saved === undefined) delete process.env.AZURE_OPENAI_RETRY_BASE_MS;
      else process.env.AZURE_OPENAI_RETRY_BASE_MS = saved;
    }
  });
});
