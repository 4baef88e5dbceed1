import { expect } from "chai";
import { AzureOpenAI } from "openai";
import { CompareError } from "../../../lib/compare/errors";
import { parsePromptsJson } from "../../../lib/compare/prompts";
import {
  Answer,
  ChatClient,
  ChatRequest,
  quoteShort,
  runComparison,
  RunOptions,
} from "../../../lib/compare/run";
import {
  BASE_DEPLOYMENT,
  BASE_MODEL,
  BASE_REPLY,
  CompareFixture,
  PROMPTS,
  startCompareFixture,
  SYSTEM,
  TUNED_DEPLOYMENT,
  TUNED_REPLIES,
} from "./fixture";

const CHAT_ROUTE = "POST /openai/deployments/:deploymentId/chat/completions";

/** Wraps a client to record the requests and the most calls in flight at once. */
function observed(client: ChatClient): {
  client: ChatClient;
  requests: ChatRequest[];
  maxInFlight: () => number;
} {
  let inFlight = 0;
  let max = 0;
  const requests: ChatRequest[] = [];
  return {
    requests,
    maxInFlight: () => max,
    client: {
      chat: {
        completions: {
          create: async (body) => {
            requests.push(body);
            inFlight += 1;
            max = Math.max(max, inFlight);
            try {
              return await client.chat.completions.create(body);
            } finally {
              inFlight -= 1;
            }
          },
        },
      },
    },
  };
}

/** An answer with the run-dependent latency replaced, for exact comparison. */
function stable(a: Answer): Answer {
  return { ...a, latencyMs: -1 };
}

describe("compare run (against the emulator)", () => {
  let fixture: CompareFixture;
  let client: AzureOpenAI;
  const cases = parsePromptsJson(
    JSON.stringify({ system: SYSTEM, prompts: PROMPTS }),
    "prompts.json",
  );

  before(async () => {
    fixture = await startCompareFixture();
    client = new AzureOpenAI({
      baseURL: `${fixture.emulator.endpoint}/openai`,
      apiKey: fixture.emulator.apiKey,
      apiVersion: "2025-04-01-preview",
      maxRetries: 0,
    });
  });
  after(() => fixture.close());
  beforeEach(() => fixture.emulator.admin.reset({ state: false }));

  const options = (overrides: Partial<RunOptions> = {}): RunOptions => ({
    client,
    endpoint: fixture.emulator.endpoint,
    deployments: { base: BASE_DEPLOYMENT, tuned: TUNED_DEPLOYMENT },
    cases,
    concurrency: 2,
    temperature: 0,
    ...overrides,
  });

  it("asks every prompt of both deployments and returns the emulator's answers and usage", async () => {
    const results = await runComparison(options());
    // The emulator's usage for the same request, asked directly.
    const usage = async (deployment: string, prompt: string) => {
      const r = await client.chat.completions.create({
        model: deployment,
        messages: [
          { role: "system", content: SYSTEM },
          { role: "user", content: prompt },
        ],
      });
      const u = r.usage!;
      return {
        promptTokens: u.prompt_tokens,
        completionTokens: u.completion_tokens,
        totalTokens: u.total_tokens,
      };
    };
    const expected = [];
    for (const [i, prompt] of PROMPTS.entries()) {
      expected.push({
        case: cases[i],
        base: {
          deployment: BASE_DEPLOYMENT,
          model: BASE_MODEL,
          answer: BASE_REPLY,
          finishReason: "stop",
          latencyMs: -1,
          attempts: 1,
          usage: await usage(BASE_DEPLOYMENT, prompt),
        },
        tuned: {
          deployment: TUNED_DEPLOYMENT,
          model: fixture.tunedModel,
          answer: TUNED_REPLIES[i],
          finishReason: "stop",
          latencyMs: -1,
          attempts: 1,
          usage: await usage(TUNED_DEPLOYMENT, prompt),
        },
      });
    }
    expect(
      results.map((r) => ({ case: r.case, base: stable(r.base), tuned: stable(r.tuned) })),
    ).to.deep.equal(expected);
    expect(
      results.every((r) => r.base.usage.completionTokens > 0 && r.tuned.usage.promptTokens > 0),
    ).to.equal(true);
  });

  it("sends the lab's call shape: deployment as model, temperature and max_completion_tokens", async () => {
    const watch = observed(client);
    await runComparison(
      options({ client: watch.client, cases: cases.slice(0, 1), maxTokens: 50, temperature: 0.5 }),
    );
    const messages = [
      { role: "system", content: SYSTEM },
      { role: "user", content: PROMPTS[0] },
    ];
    expect(watch.requests).to.deep.equal([
      { model: BASE_DEPLOYMENT, messages, temperature: 0.5, max_completion_tokens: 50 },
      { model: TUNED_DEPLOYMENT, messages, temperature: 0.5, max_completion_tokens: 50 },
    ]);
  });

  it("logs one progress line per answer, in completion order", async () => {
    const lines: string[] = [];
    await runComparison(options({ concurrency: 1, log: (l) => lines.push(l) }));
    expect(lines.map((l) => l.replace(/ \d+ ms$/, " N ms"))).to.deep.equal([
      '[1/6] base: "Which day of the week is best for…" N ms',
      '[2/6] tuned: "Which day of the week is best for…" N ms',
      '[3/6] base: "Do I need cash when visiting Oslo?" N ms',
      '[4/6] tuned: "Do I need cash when visiting Oslo?" N ms',
      '[5/6] base: "How long does the ferry from Split to…" N ms',
      '[6/6] tuned: "How long does the ferry from Split to…" N ms',
    ]);
  });

  for (const concurrency of [1, 2, 3]) {
    it(`keeps at most ${concurrency} call(s) in flight with concurrency ${concurrency}`, async () => {
      // Slow every call down so that the workers overlap.
      fixture.emulator.admin.injectFault({
        kind: "latency",
        latencyMs: 20,
        path: "/openai/deployments/*",
        count: 6,
      });
      const watch = observed(client);
      await runComparison(options({ client: watch.client, concurrency }));
      expect([watch.requests.length, watch.maxInFlight()]).to.deep.equal([6, concurrency]);
    });
  }

  it("retries a 429, waiting the Retry-After the service asked for", async () => {
    fixture.emulator.admin.injectFault({
      kind: "throttle",
      retryAfterMs: 1500,
      path: `/openai/deployments/${TUNED_DEPLOYMENT}/chat/completions`,
    });
    const waits: number[] = [];
    const lines: string[] = [];
    const results = await runComparison(
      options({
        cases: cases.slice(0, 1),
        concurrency: 1,
        log: (l) => lines.push(l),
        sleep: async (ms) => {
          waits.push(ms);
        },
      }),
    );
    expect([
      waits,
      lines.filter((l) => l.startsWith("retrying")),
      results[0].tuned.attempts,
      results[0].tuned.answer,
      fixture.emulator.admin.counters().routes[CHAT_ROUTE],
    ]).to.deep.equal([
      [1500],
      [
        `retrying chat completion on tuned deployment \`${TUNED_DEPLOYMENT}\` after 429 in 1.5 s (attempt 2/6)`,
      ],
      2,
      TUNED_REPLIES[0],
      3,
    ]);
  });

  it("exits 3 naming the missing deployment and --tuned", async () => {
    const err = await runComparison(
      options({ deployments: { base: BASE_DEPLOYMENT, tuned: "gpt-4.1-mini-travel" } }),
    ).then(
      () => undefined,
      (e: CompareError) => e,
    );
    expect([err?.exitCode, err?.message]).to.deep.equal([
      3,
      `deployment \`gpt-4.1-mini-travel\` not found on ${fixture.emulator.endpoint}; run \`pulumi up\` or check --tuned`,
    ]);
  });

  it("stops sending new calls after the first failure", async () => {
    const watch = observed(client);
    await runComparison(
      options({
        client: watch.client,
        concurrency: 1,
        deployments: { base: "nope", tuned: TUNED_DEPLOYMENT },
      }),
    ).catch(() => undefined);
    expect(watch.requests.map((r) => r.model)).to.deep.equal(["nope"]);
  });

  it("exits 4 when the key is wrong", async () => {
    const wrong = new AzureOpenAI({
      baseURL: `${fixture.emulator.endpoint}/openai`,
      apiKey: "not-the-key",
      apiVersion: "2025-04-01-preview",
      maxRetries: 0,
    });
    const err = await runComparison(options({ client: wrong })).then(
      () => undefined,
      (e: CompareError) => e,
    );
    expect([err?.exitCode, err?.message]).to.deep.equal([
      4,
      `${fixture.emulator.endpoint} refused the credential (401): Access denied due to invalid subscription key or wrong API endpoint. ` +
        "Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource. " +
        "Set AZURE_OPENAI_API_KEY to a key of the account (refused when the stack sets disableLocalAuth), or unset it and run " +
        "`az login` as an identity holding the role Cognitive Services OpenAI User on the account (new role assignments take up to 5 minutes).",
    ]);
  });

  it("exits 1 when the service keeps failing", async () => {
    fixture.emulator.admin.injectFault({
      kind: "serverError",
      status: 503,
      path: "/openai/deployments/*",
      count: 2,
    });
    const err = await runComparison(
      options({
        cases: cases.slice(0, 1),
        concurrency: 1,
        maxAttempts: 2,
        sleep: async () => undefined,
      }),
    ).then(
      () => undefined,
      (e: CompareError) => e,
    );
    expect([err?.exitCode, err?.message]).to.deep.equal([
      1,
      `chat completion on deployment \`${BASE_DEPLOYMENT}\` on ${fixture.emulator.endpoint} failed: 503 InternalServerError: ` +
        "The server had an error while processing your request. Sorry about that!",
    ]);
  });
});

describe("compare quoteShort", () => {
  it("keeps a short prompt whole", () => {
    expect(quoteShort("Power bank in checked luggage?")).to.equal(
      '"Power bank in checked luggage?"',
    );
  });

  it("cuts a long prompt at a word boundary", () => {
    expect(
      quoteShort("Is it worth getting a rail pass for two weeks in Switzerland?", 20),
    ).to.equal('"Is it worth getting…"');
  });
});
